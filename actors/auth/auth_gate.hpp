#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "actors/auth/jwt.hpp"
#include "actors/auth/revocation_set.hpp"
#include "actors/auth/token_cache.hpp"
#include "messages/auth.hpp"

namespace haven::http {
struct exchange;
}

// The access-token check, run on the HTTP edge's own thread with no actor
// hop (ARCHITECTURE.md rule 3): Bearer extraction, the verified-token cache,
// else the Ed25519 check (then cached until exp), and the node-local revoked
// set on EVERY request, cached or not. Never blocks. Every route that needs
// a caller uses it the same way:
//
//   auto claims = gate->authorized(ex);
//   if (!claims) return ex.reply.fail(claims.error());
//   if (auto err = require_role(*claims, {"admin"})) return ex.reply.fail(err);

namespace haven::auth {

/// The issuer of our access tokens (the `iss` claim).
constexpr std::string_view token_issuer = "haven";

class auth_gate {
 public:
  auth_gate(std::shared_ptr<const signing_keys> keys, size_t cache_capacity = 100000);

  /// The caller of this request, or errc::unauthorized (missing, malformed,
  /// expired, revoked or badly signed token).
  caf::expected<access_claims> authorized(const http::exchange& ex);

  /// Same from an Authorization header value (nullptr = absent) at `now`.
  caf::expected<access_claims> check(const std::string* authorization, int64_t now);

  /// check() without copying the claims: a pointer valid until the next call
  /// on this gate, or nullptr for errc::unauthorized. For callers on the hot
  /// path that read a claim or two at once (the rate limiter's key).
  const access_claims* verify(const std::string* authorization, int64_t now);

  /// verify(), asking `may_check` first when the token was never seen here
  /// and would cost an Ed25519 check (~105 us of this thread), so the rate
  /// limiter can charge the client's address for it (audit M1). When the
  /// answer is no: nullptr, `*refused` = true, and nothing is remembered
  /// about the token (it was not checked).
  const access_claims* verify(const std::string* authorization, int64_t now,
                              const std::function<bool()>& may_check, bool* refused);

  /// Revocations pushed by the revocation actor (edge extension handler).
  void revoke(const std::vector<revocation>& list, int64_t now);

  const signing_keys& keys() const { return *keys_; }
  const token_cache& cache() const { return cache_; }
  const token_cache& failures() const { return failed_; }
  uint64_t signature_checks() const { return signature_checks_; }
  size_t revoked_entries() const { return revoked_.size(); }

 private:
  std::shared_ptr<const signing_keys> keys_;
  token_cache cache_;
  // Tokens that failed verification (bad signature, expired, unknown key),
  // remembered for a minute: a flood of one forged token costs one check.
  token_cache failed_;
  revocation_set revoked_;
  // The last check (see check()), passed or failed: valid for the same header
  // and second, so the limiter and the route never check one header twice.
  std::string memo_header_;
  int64_t memo_now_ = 0;
  access_claims memo_claims_;
  bool memo_valid_ = false;
  bool memo_passed_ = false;
  uint64_t signature_checks_ = 0;

  bool memo_matches(const std::string& authorization, int64_t now) const;
  const access_claims* remember(const std::string& authorization, int64_t now, bool passed);
};

/// The token in "Bearer <token>" (scheme case-insensitive), or "" when the
/// header is not a well-formed Bearer credential.
std::string_view bearer_token(std::string_view authorization);

/// errc::forbidden unless the caller's role is one of `roles` (the caller acts
/// inside their own organization: a role that is not enough is 403).
caf::error require_role(const access_claims& c, std::initializer_list<std::string_view> roles);

/// errc::not_found unless the caller has an organization (routes under
/// /v1/orgs/current) — and, when `org_id` is given, unless it is the caller's
/// own: another organization's resource is 404, never 403.
caf::error require_org(const access_claims& c, std::string_view org_id = {});

/// errc::not_found unless `owner_id` is the caller: another user's resource.
caf::error require_owner(const access_claims& c, std::string_view owner_id);

/// The caller as the auth actor's messages carry it.
session_ref to_session(const access_claims& c, std::string request_id);

/// Unix seconds now (the gate's clock).
int64_t unix_now();

} // namespace haven::auth
