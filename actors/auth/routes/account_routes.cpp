// /v1/auth/* and /v1/users/me (API.md section 3).
#include <caf/all.hpp>

#include "actors/auth/routes/auth_json.hpp"
#include "actors/auth/routes/route_support.hpp"
#include "actors/auth/validation.hpp"
#include "messages/errors.hpp"

namespace haven::auth {

namespace {

using http::body_reader;
using http::exchange;
using http::method;

constexpr size_t max_opaque_chars = 128;

// Answers that carry tokens are never stored by a cache (RFC 6749 5.1; API.md
// section 3). Set before asking: the header rides on whatever the answer is.
template <class... Ts>
void grant_tokens(const route_deps& d, exchange& ex, int status, Ts&&... msg) {
  ex.reply.add_header_lines("Cache-Control: no-store\r\nPragma: no-cache\r\n");
  ask<token_grant>(d, ex, status, tokens_body, std::forward<Ts>(msg)...);
}

void on_register(const route_deps& d, exchange& ex) {
  body_reader b{ex.json};
  register_request r;
  r.email = read_email(b, "email");
  r.password = read_password(b, "password", true, true);
  r.display_name = read_name(b, "display_name", max_display_name_chars);
  r.org_name = read_name(b, "org_name", max_org_name_chars);
  bool has_slug = b.has("org_slug");
  auto slug = b.optional_string("org_slug", 63);
  if (slug && !valid_slug(*slug))
    b.add_issue("org_slug", "invalid", "org_slug: must match ^[a-z0-9-]{3,63}$");
  else if (slug)
    r.org_slug = *slug;
  if (has_slug != b.has("org_name"))
    b.add_issue(has_slug ? "org_name" : "org_slug", "required",
                "org_name and org_slug go together");
  auto invite = b.optional_string("invite_code", max_opaque_chars);
  if (invite && (has_slug || b.has("org_name")))
    b.add_issue("invite_code", "conflict",
                "invite_code: cannot be combined with a new organization");
  else if (invite)
    r.invite_code = *invite;
  if (!b.ok())
    return ex.reply.fail(b.error());
  r.client_addr = client_addr(d, ex);
  r.request_id = ex.reply.request_id();
  grant_tokens(d, ex, 201, std::move(r));
}

void on_login(const route_deps& d, exchange& ex) {
  body_reader b{ex.json};
  login_request r;
  bool has_email = b.has("email"), has_handle = b.has("handle");
  if (has_email && has_handle)
    b.add_issue("handle", "conflict", "send either email or handle, not both");
  else if (!has_email && !has_handle)
    b.add_issue("email", "required", "email or handle: is required");
  if (auto email = b.optional_string("email", 320))
    r.email = normalize_email(*email);
  if (auto handle = b.optional_string("handle", 64))
    r.handle = normalize_email(*handle); // same trim + lower-case
  if (has_email != has_handle && r.email.empty() && r.handle.empty() && b.ok())
    b.add_issue(has_email ? "email" : "handle", "required", "email or handle: must not be empty");
  r.password = read_password(b, "password", true, false);
  if (!b.ok())
    return ex.reply.fail(b.error());
  r.client_addr = client_addr(d, ex);
  r.request_id = ex.reply.request_id();
  grant_tokens(d, ex, 200, std::move(r));
}

void on_refresh(const route_deps& d, exchange& ex) {
  body_reader b{ex.json};
  auto token = b.required_string("refresh_token", max_opaque_chars);
  if (!b.ok())
    return ex.reply.fail(b.error());
  grant_tokens(d, ex, 200, refresh_atom_v, std::move(token), client_addr(d, ex));
}

void on_logout(const route_deps& d, exchange& ex) {
  auto c = caller(d, ex);
  if (!c)
    return;
  body_reader b{ex.json};
  auto token = b.optional_string("refresh_token", max_opaque_chars);
  if (!b.ok())
    return ex.reply.fail(b.error());
  ask<bool>(
      d, ex, 204, [](bool) { return std::string{}; }, logout_atom_v,
      to_session(*c, ex.reply.request_id()), token.value_or(std::string{}));
}

void on_me(const route_deps& d, exchange& ex) {
  auto c = caller(d, ex);
  if (!c)
    return;
  auto now = user_cache::clock::now();
  if (d.users) {
    if (const auto* u = d.users->find(c->sub, now))
      return ex.reply.send(http::json_response(200, user_body(*u)));
  }
  auto reply = ex.reply;
  auto users = d.users;
  auto seen = users ? users->generation() : 0;
  ex.self->request(d.auth, ex.timeout, me_atom_v, to_session(*c, reply.request_id()))
      .then(
          [reply, users, seen](user_view& u) {
            // Runs on the edge's thread too: the cache has one owner.
            if (users)
              users->put_if_current(u, user_cache::clock::now(), seen);
            reply.send(http::json_response(200, user_body(u)));
          },
          [reply](caf::error& err) { reply.fail(err); });
}

void on_patch_me(const route_deps& d, exchange& ex) {
  auto c = caller(d, ex);
  if (!c)
    return;
  body_reader b{ex.json};
  profile_update u;
  u.display_name = read_name(b, "display_name", max_display_name_chars);
  u.email = read_email(b, "email");
  u.password = read_password(b, "password", false, true);
  u.current_password = read_password(b, "current_password", false, false);
  if (b.has("password") && !b.has("current_password"))
    b.add_issue("current_password", "required",
                "current_password: is required to change the password");
  if (!b.ok())
    return ex.reply.fail(b.error());
  u.caller = to_session(*c, ex.reply.request_id());
  ask<user_view>(d, ex, 200, user_body, std::move(u));
}

void on_reset_request(const route_deps& d, exchange& ex) {
  body_reader b{ex.json};
  if (!b.has("email"))
    b.add_issue("email", "required", "email: is required");
  auto email = read_email(b, "email");
  if (!b.ok())
    return ex.reply.fail(b.error());
  ask<bool>(
      d, ex, 202, [](bool) { return std::string{"{}"}; }, pw_reset_atom_v, std::move(email),
      client_addr(d, ex), ex.reply.request_id());
}

void on_reset_confirm(const route_deps& d, exchange& ex) {
  body_reader b{ex.json};
  reset_confirm r;
  r.token = b.required_string("token", max_opaque_chars);
  r.new_password = read_password(b, "new_password", true, true);
  if (!b.ok())
    return ex.reply.fail(b.error());
  r.request_id = ex.reply.request_id();
  r.client_addr = client_addr(d, ex);
  ask<bool>(
      d, ex, 204, [](bool) { return std::string{}; }, std::move(r));
}

} // namespace

void add_account_routes(const route_deps& d, std::vector<http::route_entry>& out) {
  auto bind = [d](void (*fn)(const route_deps&, exchange&)) {
    return [d, fn](exchange& ex) { fn(d, ex); };
  };
  // The credential endpoints have their own throttles (API.md sections 2, 3).
  constexpr auto own = http::rate_limit::own_throttle;
  out.push_back({method::post, "/v1/auth/register", bind(on_register), true, 0, own});
  out.push_back({method::post, "/v1/auth/login", bind(on_login), true, 0, own});
  out.push_back({method::post, "/v1/auth/refresh", bind(on_refresh), true, 0, own});
  out.push_back({method::post, "/v1/auth/logout", bind(on_logout), true});
  out.push_back({method::get, "/v1/auth/me", bind(on_me), false});
  out.push_back({method::patch, "/v1/users/me", bind(on_patch_me), true});
  out.push_back(
      {method::post, "/v1/auth/password-reset/request", bind(on_reset_request), true, 0, own});
  out.push_back(
      {method::post, "/v1/auth/password-reset/confirm", bind(on_reset_confirm), true, 0, own});
}

} // namespace haven::auth
