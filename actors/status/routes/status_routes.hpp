#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/auth/auth_gate.hpp"
#include "io/http/body_reader.hpp"
#include "io/http/exchange.hpp"
#include "messages/status.hpp"

// The HTTP translation of API.md section 7. Handlers run on the edge's thread:
// the token (auth gate, no hop), the path and body rules (every broken rule in
// one 422), then ONE typed request to a status actor, which never sees HTTP.
// NATS `<prefix>.rpc.status.update` reaches the PUT route through the edge's
// rpc bridge (io/http/rpc_bridge.cpp), so it answers exactly the same.

namespace haven::status {

struct status_route_deps {
  std::shared_ptr<auth::auth_gate> gate;
  std::vector<status_actor> actors; // any of them: they keep no state
};

/// PUT /v1/status/{resource_id}/stages/{stage}, GET /v1/status/{resource_id}.
std::vector<http::route_entry> status_routes(const status_route_deps& d);

/// The PUT body's rules (status, progress, message) read into `out`; issues
/// go to `b` (pure, unit-tested).
void read_update_body(http::body_reader& b, status_update& out);

/// The JSON body of GET and of a successful PUT.
std::string status_body(const status_view& v);

} // namespace haven::status
