#pragma once

#include <memory>
#include <vector>

#include <caf/actor_system.hpp>

#include "config/settings.hpp"
#include "io/http/edge.hpp"
#include "io/http/exchange.hpp"
#include "messages/bus.hpp"
#include "messages/redis.hpp"
#include "messages/status.hpp"

namespace haven::auth {
class auth_gate;
}
namespace haven::status {
struct status_metrics;
}

namespace haven::app {

/// The processing-status family of one node (API.md section 7): the status
/// actors, the relay of their Redis-side outbox, and the routes.
struct status_parts {
  std::vector<status_actor> actors;
  status_relay_actor relay;
  std::vector<http::route_entry> routes;
  std::shared_ptr<status::status_metrics> metrics;
};

/// Registers the update script with `redis`, spawns the relay (outbox ->
/// `bus`) and the actors, and builds the routes (docs/status.md).
status_parts start_status(caf::actor_system& sys, std::shared_ptr<const config::settings> cfg,
                          redis_actor redis, bus_actor bus, std::shared_ptr<auth::auth_gate> gate);

/// Chains the status counters after `opts.metrics_hook` (/metrics, edge thread).
void add_status_metrics(const status_parts& parts, http::edge_options& opts);

void stop_status(status_parts& parts);

} // namespace haven::app
