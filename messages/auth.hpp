#pragma once

#include <string>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

// The auth family's messages: the password hashing pool
// (actors/auth/password_hashers.hpp). Register with
// cfg.add_message_types<caf::id_block::haven_auth>().

namespace haven {
struct password_verdict;
} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven_auth, caf::first_custom_type_id + 400)
  CAF_ADD_TYPE_ID(haven_auth, (haven::password_verdict))
  CAF_ADD_ATOM(haven_auth, haven, pw_hash_atom, "pw_hash")
  CAF_ADD_ATOM(haven_auth, haven, pw_verify_atom, "pw_verify")
CAF_END_TYPE_ID_BLOCK(haven_auth)

namespace haven {

/// The outcome of checking a password. `needs_rehash` is set only with `ok`:
/// the stored hash uses old parameters, so the caller stores a new hash.
struct password_verdict {
  bool ok = false;
  bool needs_rehash = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, password_verdict& x) {
  return f(caf::meta::type_name("password_verdict"), x.ok, x.needs_rehash);
}

/// The Argon2id pool (and each of its detached workers).
/// - (pw_hash, password) -> the encoded hash; errc::validation_failed when the
///   password breaks the rules (callers check first), errc::overloaded (with
///   retry-after) when the queue is full, errc::internal when hashing failed.
/// - (pw_verify, encoded, password) -> verdict. An empty `encoded` means
///   "unknown account": the pool verifies against a dummy hash (same cost) and
///   answers {false, false}. errc::overloaded when the queue is full.
using password_hasher_actor =
    caf::typed_actor<caf::replies_to<pw_hash_atom, std::string /*password*/>::with<std::string>,
                     caf::replies_to<pw_verify_atom, std::string /*encoded or empty*/,
                                     std::string /*password*/>::with<password_verdict>>;

} // namespace haven
