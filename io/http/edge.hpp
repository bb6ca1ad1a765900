#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/message_handler.hpp>

#include "io/http/exchange.hpp"
#include "messages/edge.hpp"

namespace haven::config {
struct settings;
}

namespace haven::http {

struct edge_options {
  std::shared_ptr<const config::settings> cfg;
  std::vector<route_entry> routes; // the API routes; /health, /ready, /metrics are built in
  std::string version;
  /// Extra message handlers run on the edge's thread, for state that routes
  /// keep next to the edge (e.g. the revoked-token set pushed by the auth
  /// actor). They are tried after the edge's own handlers.
  caf::message_handler extensions;
  /// Applied to each of `routes` once, at start (e.g. the rate limiter wraps
  /// every /v1 handler here, so a new route is limited by default).
  std::function<void(route_entry&)> decorate;
  /// Appends Prometheus lines to /metrics (runs on the edge's thread).
  std::function<void(std::string&)> metrics_hook;
  /// Where rpc answers are published (API.md section 9); unset: rpc requests
  /// are not answered.
  bus_actor bus;
};

struct edge_handle {
  edge_actor actor;
  uint16_t port; // the bound port (useful with HAVEN_HTTP_ADDR port 0)
};

/// Spawns the HTTP edge: a CAF io::broker on the middleman's I/O thread that
/// parses, routes and answers requests itself and sends domain work to typed
/// actors as one request each. Fails when the address cannot be bound.
caf::expected<edge_handle> spawn_edge(caf::actor_system& sys, edge_options opts);

/// Appends `render` to the /metrics hook: every family added this way renders,
/// in the order added.
void add_metrics(edge_options& opts, std::function<void(std::string&)> render);

} // namespace haven::http
