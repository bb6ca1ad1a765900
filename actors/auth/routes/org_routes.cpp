// /v1/orgs/current… (API.md section 3) and the JWKS.
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

// The caller must be an admin of an organization: a role that does not allow
// the listing or action -> 403 (API.md section 3, also without an
// organization: issue 12), an admin without one -> 404.
std::optional<access_claims> org_admin(const route_deps& d, exchange& ex) {
  auto c = caller(d, ex);
  if (!c)
    return std::nullopt;
  if (auto err = require_role(*c, {"admin"})) {
    ex.reply.fail(err);
    return std::nullopt;
  }
  if (auto err = require_org(*c)) {
    ex.reply.fail(err);
    return std::nullopt;
  }
  return c;
}

std::string read_role(body_reader& b) {
  auto role = b.required_string("role", 32);
  if (b.has("role") && !role.empty() && !valid_role(role))
    b.add_issue("role", "invalid", "role: must be admin, counselor or user");
  return role;
}

void on_org(const route_deps& d, exchange& ex) {
  auto c = caller(d, ex);
  if (!c)
    return;
  if (auto err = require_org(*c))
    return ex.reply.fail(err);
  ask<org_view>(d, ex, 200, org_body, org_atom_v, to_session(*c, ex.reply.request_id()));
}

void on_members(const route_deps& d, exchange& ex) {
  auto c = org_admin(d, ex);
  if (!c)
    return;
  ask<std::vector<user_view>>(d, ex, 200, members_body, members_atom_v,
                              to_session(*c, ex.reply.request_id()));
}

void on_invite(const route_deps& d, exchange& ex) {
  auto c = org_admin(d, ex);
  if (!c)
    return;
  body_reader b{ex.json};
  auto role = read_role(b);
  if (!b.ok())
    return ex.reply.fail(b.error());
  ask<invite_view>(d, ex, 201, invite_body, invite_atom_v, to_session(*c, ex.reply.request_id()),
                   std::move(role));
}

void on_set_role(const route_deps& d, exchange& ex) {
  auto c = org_admin(d, ex);
  if (!c)
    return;
  std::string user_id{ex.route.param("user_id")};
  if (!valid_uuid(user_id))
    return ex.reply.fail(make_error(errc::not_found));
  body_reader b{ex.json};
  auto role = read_role(b);
  if (!b.ok())
    return ex.reply.fail(b.error());
  ask<user_view>(d, ex, 200, user_body, set_role_atom_v, to_session(*c, ex.reply.request_id()),
                 std::move(user_id), std::move(role));
}

} // namespace

void add_org_routes(const route_deps& d, std::vector<http::route_entry>& out) {
  auto bind = [d](void (*fn)(const route_deps&, exchange&)) {
    return [d, fn](exchange& ex) { fn(d, ex); };
  };
  out.push_back({method::get, "/v1/orgs/current", bind(on_org), false});
  out.push_back({method::get, "/v1/orgs/current/members", bind(on_members), false});
  out.push_back({method::post, "/v1/orgs/current/invites", bind(on_invite), true});
  out.push_back({method::patch, "/v1/orgs/current/members/{user_id}", bind(on_set_role), true});
}

std::vector<http::route_entry> auth_routes(const route_deps& d) {
  std::vector<http::route_entry> out;
  add_account_routes(d, out);
  add_org_routes(d, out);
  // The key ring never changes while the node runs: serialize it once.
  auto jwks = std::make_shared<const std::string>(d.gate->keys().jwks_json());
  out.push_back({method::get, "/.well-known/jwks.json",
                 [jwks](exchange& ex) {
                   auto r = http::json_response(200, *jwks);
                   r.headers.emplace_back("Cache-Control", "public, max-age=300");
                   ex.reply.send(std::move(r));
                 },
                 false});
  return out;
}

} // namespace haven::auth
