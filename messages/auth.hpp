#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "messages/bus.hpp"
#include "messages/type_ids.hpp"

// The auth family's messages (API.md section 3): the password hashing pool
// (actors/auth/password_hashers.hpp), the auth domain actor
// (actors/auth/auth_actor.hpp) and the revocation fan-out
// (actors/auth/revocation_actor.hpp). Register with
// cfg.add_message_types<caf::id_block::haven_auth>().
// Strings that are optional in the API are empty when absent.

namespace haven {
struct password_verdict;
struct user_view;
struct token_grant;
struct org_view;
struct invite_view;
struct revocation;
struct session_ref;
struct register_request;
struct login_request;
struct profile_update;
struct reset_confirm;
} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven_auth, caf::first_custom_type_id + 400)
CAF_ADD_TYPE_ID(haven_auth, (haven::password_verdict))
CAF_ADD_ATOM(haven_auth, haven, pw_hash_atom, "pw_hash")
CAF_ADD_ATOM(haven_auth, haven, pw_verify_atom, "pw_verify")
CAF_ADD_TYPE_ID(haven_auth, (haven::user_view))
CAF_ADD_TYPE_ID(haven_auth, (std::vector<haven::user_view>))
CAF_ADD_TYPE_ID(haven_auth, (haven::token_grant))
CAF_ADD_TYPE_ID(haven_auth, (haven::org_view))
CAF_ADD_TYPE_ID(haven_auth, (haven::invite_view))
CAF_ADD_TYPE_ID(haven_auth, (haven::revocation))
CAF_ADD_TYPE_ID(haven_auth, (std::vector<haven::revocation>))
CAF_ADD_TYPE_ID(haven_auth, (haven::session_ref))
CAF_ADD_TYPE_ID(haven_auth, (haven::register_request))
CAF_ADD_TYPE_ID(haven_auth, (haven::login_request))
CAF_ADD_TYPE_ID(haven_auth, (haven::profile_update))
CAF_ADD_TYPE_ID(haven_auth, (haven::reset_confirm))
CAF_ADD_ATOM(haven_auth, haven, refresh_atom, "refresh")
CAF_ADD_ATOM(haven_auth, haven, logout_atom, "logout")
CAF_ADD_ATOM(haven_auth, haven, me_atom, "me")
CAF_ADD_ATOM(haven_auth, haven, pw_reset_atom, "pw_reset")
CAF_ADD_ATOM(haven_auth, haven, org_atom, "org")
CAF_ADD_ATOM(haven_auth, haven, members_atom, "members")
CAF_ADD_ATOM(haven_auth, haven, invite_atom, "invite")
CAF_ADD_ATOM(haven_auth, haven, set_role_atom, "set_role")
CAF_ADD_ATOM(haven_auth, haven, revoke_atom, "revoke")
CAF_ADD_ATOM(haven_auth, haven, user_changed_atom, "user_chg")
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

/// API.md's USER. `email`, `display_name`, `org_id` empty = JSON null.
struct user_view {
  std::string id, email, handle, display_name, role, tier, org_id, created_at;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_view& x) {
  return f(caf::meta::type_name("user_view"), x.id, x.email, x.handle, x.display_name, x.role,
           x.tier, x.org_id, x.created_at);
}

/// API.md's TOKENS.
struct token_grant {
  user_view user;
  std::string access_token;
  std::string refresh_token;
  uint32_t expires_in = 0; // access TTL, seconds
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, token_grant& x) {
  return f(caf::meta::type_name("token_grant"), x.user, x.access_token, x.refresh_token,
           x.expires_in);
}

struct org_view {
  std::string id, name, slug, created_at;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, org_view& x) {
  return f(caf::meta::type_name("org_view"), x.id, x.name, x.slug, x.created_at);
}

struct invite_view {
  std::string code, role, expires_at;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, invite_view& x) {
  return f(caf::meta::type_name("invite_view"), x.code, x.role, x.expires_at);
}

/// One revoked access-token id (`kind` "jti") or session (`kind` "sid"),
/// refused until `until` (unix seconds; past that every such token expired).
struct revocation {
  std::string kind;
  std::string id;
  int64_t until = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, revocation& x) {
  return f(caf::meta::type_name("revocation"), x.kind, x.id, x.until);
}

/// Who is calling, from a verified access token (the edge's auth gate).
struct session_ref {
  std::string user_id, sid, jti, org_id, role, tier;
  int64_t exp = 0;
  std::string request_id; // for the events the call causes
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_ref& x) {
  return f(caf::meta::type_name("session_ref"), x.user_id, x.sid, x.jti, x.org_id, x.role, x.tier,
           x.exp, x.request_id);
}

/// POST /v1/auth/register, already validated by the edge (email normalized).
struct register_request {
  std::string email, password, display_name, org_name, org_slug, invite_code;
  std::string client_addr, request_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, register_request& x) {
  return f(caf::meta::type_name("register_request"), x.email, x.password, x.display_name,
           x.org_name, x.org_slug, x.invite_code, x.client_addr, x.request_id);
}

/// POST /v1/auth/login: exactly one of `email` (normalized) and `handle`.
struct login_request {
  std::string email, handle, password, client_addr, request_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, login_request& x) {
  return f(caf::meta::type_name("login_request"), x.email, x.handle, x.password, x.client_addr,
           x.request_id);
}

/// PATCH /v1/users/me, validated by the edge.
struct profile_update {
  session_ref caller;
  std::string display_name, email, password, current_password;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, profile_update& x) {
  return f(caf::meta::type_name("profile_update"), x.caller, x.display_name, x.email, x.password,
           x.current_password);
}

/// POST /v1/auth/password-reset/confirm.
struct reset_confirm {
  std::string token, new_password, request_id;
  std::string client_addr; // failed confirmations count per address
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reset_confirm& x) {
  return f(caf::meta::type_name("reset_confirm"), x.token, x.new_password, x.request_id,
           x.client_addr);
}

/// Whoever keeps a node-local copy of USER views (the HTTP edge, through an
/// edge extension handler): `user_chg` names a user whose view changed.
using user_listener = caf::typed_actor<caf::reacts_to<user_changed_atom, std::string>>;

/// The auth domain actor. Errors: errc values (invalid_credentials,
/// unauthorized, email_taken, slug_taken, invite_used, validation_failed,
/// not_found, forbidden, rate_limited with retry-after, dependency_unavailable).
/// `bus_message` carries `<prefix>.cluster.user` invalidations; every
/// invalidation (local or from another node) is forwarded to the subscribed
/// user_listeners before the change is answered.
using auth_actor = caf::typed_actor<
    caf::replies_to<register_request>::with<token_grant>,
    caf::replies_to<login_request>::with<token_grant>,
    caf::replies_to<refresh_atom, std::string /*refresh token*/,
                    std::string /*client addr*/>::with<token_grant>,
    caf::replies_to<logout_atom, session_ref, std::string /*refresh token or empty*/>::with<bool>,
    caf::replies_to<me_atom, session_ref>::with<user_view>,
    caf::replies_to<profile_update>::with<user_view>,
    caf::replies_to<pw_reset_atom, std::string /*email*/, std::string /*client addr*/,
                    std::string /*request id*/>::with<bool>,
    caf::replies_to<reset_confirm>::with<bool>,
    caf::replies_to<org_atom, session_ref>::with<org_view>,
    caf::replies_to<members_atom, session_ref>::with<std::vector<user_view>>,
    caf::replies_to<invite_atom, session_ref, std::string /*role*/>::with<invite_view>,
    caf::replies_to<set_role_atom, session_ref, std::string /*user id*/,
                    std::string /*role*/>::with<user_view>,
    caf::reacts_to<bus_message>, caf::reacts_to<subscribe_atom, user_listener>>;

/// Whoever keeps a node-local revoked set (the HTTP edge's auth gate, through
/// an edge extension handler).
using revocation_listener = caf::typed_actor<caf::reacts_to<revoke_atom, std::vector<revocation>>>;

/// The revocation fan-out: `revoke` writes each entry to Redis (TTL = the
/// remaining lifetime), pushes it to the local listeners, publishes it on
/// `<prefix>.cluster.revoke`, and answers once the local listeners have it
/// queued. `bus_message` = a revocation from another node. It reloads the set
/// from Redis every few seconds (covers NATS outages and restarts).
using revocation_actor =
    caf::typed_actor<caf::replies_to<revoke_atom, std::vector<revocation>>::with<bool>,
                     caf::reacts_to<subscribe_atom, revocation_listener>,
                     caf::reacts_to<bus_message>, caf::reacts_to<tick_atom>>;

} // namespace haven
