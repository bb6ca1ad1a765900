#pragma once

#include <memory>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "config/settings.hpp"
#include "io/http/edge.hpp"
#include "io/http/exchange.hpp"
#include "messages/bus.hpp"
#include "messages/pg.hpp"
#include "messages/sync.hpp"

namespace haven::auth {
class auth_gate;
}
namespace haven::sync {
struct sync_metrics;
}

namespace haven::app {

/// The sync family of one node (API.md section 6; docs/sync.md).
struct sync_parts {
  sync_actor actor;
  std::shared_ptr<sync::sync_metrics> metrics;
  std::vector<http::route_entry> routes;
};

/// Loads the entity kinds (HAVEN_SYNC_DATA_DIR, else sync_data/ next to the
/// binary, else this source tree's actors/sync_queue/data) before the edge
/// exists, so the node is never ready without them (a malformed file fails
/// start-up with one line naming it), then spawns the sync front actor.
caf::expected<sync_parts> start_sync(caf::actor_system& sys,
                                     std::shared_ptr<const config::settings> cfg, pg_pool_actor pg,
                                     outbox_relay_actor outbox, bus_actor bus,
                                     std::shared_ptr<auth::auth_gate> gate);

/// Chains the sync counters after `opts.metrics_hook` (/metrics, edge thread).
void add_sync_metrics(const sync_parts& parts, http::edge_options& opts);

void stop_sync(sync_parts& parts);

} // namespace haven::app
