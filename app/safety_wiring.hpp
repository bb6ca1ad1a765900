#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "config/settings.hpp"
#include "io/http/edge.hpp"
#include "io/http/exchange.hpp"
#include "messages/auth.hpp"
#include "messages/bus.hpp"
#include "messages/pg.hpp"
#include "messages/redis.hpp"
#include "messages/safety.hpp"

namespace haven::auth {
class auth_gate;
}
namespace haven::crisis {
struct safety_metrics;
}

namespace haven::app {

/// The safety family of one node (API.md section 4): crisis actors (sharded
/// by session), moderation actors, their counters, and the routes.
struct safety_parts {
  std::vector<crisis_actor> crisis;
  std::vector<moderation_actor> moderation;
  std::shared_ptr<crisis::safety_metrics> metrics;
  std::vector<http::route_entry> routes;
};

/// Loads the crisis lexicons and resources (HAVEN_CRISIS_DATA_DIR, see
/// actors/crisis/lexicon_loader.hpp) and the moderation lexicon
/// (HAVEN_MODERATION_DATA_DIR, else moderation_data/ next to the binary, else
/// this source tree's actors/moderation/data), builds the moderation policy
/// (the defaults of policy.hpp with HAVEN_MODERATION_* applied on top), then
/// spawns the actors (NATS rpc requests reach them through the edge's routes,
/// io/http/rpc_bridge.hpp). Runs before the edge exists, so the node is never ready without its
/// data; a missing or malformed file fails start-up with one line naming it. `redis` holds the
/// session trajectories shared by all nodes (docs/safety.md).
caf::expected<safety_parts> start_safety(caf::actor_system& sys,
                                         std::shared_ptr<const config::settings> cfg,
                                         pg_pool_actor pg, outbox_relay_actor outbox,
                                         std::shared_ptr<auth::auth_gate> gate, redis_actor redis);

/// Chains the safety counters after `opts.metrics_hook` (/metrics, edge thread).
void add_safety_metrics(const safety_parts& parts, http::edge_options& opts);

void stop_safety(safety_parts& parts);

} // namespace haven::app
