#pragma once

#include <memory>
#include <vector>

#include "actors/auth/auth_gate.hpp"
#include "actors/auth/user_cache.hpp"
#include "config/settings.hpp"
#include "io/http/exchange.hpp"
#include "messages/auth.hpp"

// The HTTP translation of API.md section 3: these handlers run on the edge's
// thread, read and validate the body (every broken rule in one 422), check
// the token with the auth gate (no hop), and send ONE typed request to the
// auth actor. The auth actor never sees HTTP.

namespace haven::auth {

struct route_deps {
  std::shared_ptr<auth_gate> gate;
  auth_actor auth;
  std::shared_ptr<const config::settings> cfg;
  /// USER views for GET /v1/auth/me on the edge's thread (no hop on a hit);
  /// kept fresh by the auth actor's user_chg messages.
  std::shared_ptr<user_cache> users;
};

/// Every route of section 3 plus GET /.well-known/jwks.json.
std::vector<http::route_entry> auth_routes(const route_deps& d);

// Split by purpose (account_routes.cpp, org_routes.cpp).
void add_account_routes(const route_deps& d, std::vector<http::route_entry>& out);
void add_org_routes(const route_deps& d, std::vector<http::route_entry>& out);

} // namespace haven::auth
