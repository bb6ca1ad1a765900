#include "actors/auth/auth_gate.hpp"

#include <array>
#include <chrono>

#include <sodium.h>

#include "actors/auth/refresh_tokens.hpp"
#include "io/http/exchange.hpp"
#include "io/http/request.hpp"
#include "messages/errors.hpp"

namespace haven::auth {

namespace {

caf::error unauthorized() {
  return make_error(errc::unauthorized);
}

} // namespace

int64_t unix_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

// base64url and '.': the only bytes of a compact JWS.
constexpr std::array<bool, 256> token_char_table() {
  std::array<bool, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c)
    t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c)
    t[c] = true;
  for (int c = '0'; c <= '9'; ++c)
    t[c] = true;
  t['-'] = t['_'] = t['.'] = true;
  return t;
}
constexpr auto token_char = token_char_table();

} // namespace

std::string_view bearer_token(std::string_view h) {
  constexpr std::string_view scheme = "bearer";
  if (h.size() <= scheme.size() || !http::iequals_ascii(h.substr(0, scheme.size()), scheme) ||
      (h[scheme.size()] != ' ' && h[scheme.size()] != '\t'))
    return {};
  auto t = h.substr(scheme.size());
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t'))
    t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t'))
    t.remove_suffix(1);
  if (t.empty() || t.size() > max_token_bytes)
    return {};
  for (char c : t)
    if (!token_char[static_cast<unsigned char>(c)])
      return {};
  return t;
}

namespace {

// How long a failed token is answered from memory, and how many are kept.
constexpr int64_t failure_memory_s = 60;
constexpr size_t failure_capacity = 10000;

} // namespace

auth_gate::auth_gate(std::shared_ptr<const signing_keys> keys, size_t cache_capacity)
    : keys_(std::move(keys)), cache_(cache_capacity),
      failed_(cache_capacity == 0 ? 0 : failure_capacity) {}

bool auth_gate::memo_matches(const std::string& authorization, int64_t now) const {
  // Constant time: the memo holds the last accepted token (audit L13).
  return memo_valid_ && now == memo_now_ && equal_constant_time(authorization, memo_header_);
}

const access_claims* auth_gate::remember(const std::string& authorization, int64_t now,
                                         bool passed) {
  memo_header_.assign(authorization);
  memo_now_ = now;
  memo_valid_ = true;
  memo_passed_ = passed;
  return passed ? &memo_claims_ : nullptr;
}

caf::expected<access_claims> auth_gate::authorized(const http::exchange& ex) {
  return check(ex.req.header("authorization"), unix_now());
}

caf::expected<access_claims> auth_gate::check(const std::string* authorization, int64_t now) {
  if (const auto* claims = verify(authorization, now))
    return *claims;
  return unauthorized();
}

const access_claims* auth_gate::verify(const std::string* authorization, int64_t now) {
  static const std::function<bool()> always;
  return verify(authorization, now, always, nullptr);
}

const access_claims* auth_gate::verify(const std::string* authorization, int64_t now,
                                       const std::function<bool()>& may_check, bool* refused) {
  if (authorization == nullptr)
    return nullptr;
  // The rate limiter and then the route check the same header back to back
  // (one dispatch, so no revocation in between): the second is a compare,
  // whether the first passed or failed.
  if (memo_matches(*authorization, now))
    return memo_passed_ ? &memo_claims_ : nullptr;
  memo_valid_ = false;
  auto token = bearer_token(*authorization);
  if (token.empty())
    return remember(*authorization, now, false);
  if (const auto* cached = cache_.find(token, now)) {
    memo_claims_ = *cached; // reuses the memo's buffers: no allocation
  } else {
    if (failed_.find(token, now) != nullptr)
      return remember(*authorization, now, false);
    if (may_check && !may_check()) {
      if (refused != nullptr)
        *refused = true;
      return nullptr;
    }
    ++signature_checks_;
    auto res = verify_access_token(*keys_, token, now, token_issuer);
    if (!res.ok()) {
      static const access_claims none;
      failed_.insert(token, none, now + failure_memory_s, now);
      return remember(*authorization, now, false);
    }
    memo_claims_ = std::move(res.claims);
    cache_.insert(token, memo_claims_, memo_claims_.exp + clock_leeway_s, now);
  }
  // Revocation is checked on every request: a cached token may be revoked since.
  bool passed = !revoked_.revoked(memo_claims_.jti, memo_claims_.sid, now);
  return remember(*authorization, now, passed);
}

void auth_gate::revoke(const std::vector<revocation>& list, int64_t now) {
  memo_valid_ = false;
  revoked_.add(list, now);
}

caf::error require_role(const access_claims& c, std::initializer_list<std::string_view> roles) {
  for (auto r : roles)
    if (c.role == r)
      return {};
  return make_error(errc::forbidden);
}

caf::error require_org(const access_claims& c, std::string_view org_id) {
  if (c.org.empty() || (!org_id.empty() && org_id != c.org))
    return make_error(errc::not_found);
  return {};
}

caf::error require_owner(const access_claims& c, std::string_view owner_id) {
  if (owner_id != c.sub)
    return make_error(errc::not_found);
  return {};
}

session_ref to_session(const access_claims& c, std::string request_id) {
  session_ref s;
  s.user_id = c.sub;
  s.sid = c.sid;
  s.jti = c.jti;
  s.org_id = c.org;
  s.role = c.role;
  s.tier = c.tier;
  s.exp = c.exp;
  s.request_id = std::move(request_id);
  return s;
}

} // namespace haven::auth
