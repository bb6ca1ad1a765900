#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>

#include "actors/crisis/lexicon.hpp"
#include "actors/crisis/resources.hpp"
#include "actors/crisis/safety_metrics.hpp"
#include "config/settings.hpp"
#include "messages/bus.hpp"
#include "messages/pg.hpp"
#include "messages/redis.hpp"
#include "messages/safety.hpp"

namespace haven::crisis {

/// What a crisis actor needs: the immutable data loaded at start-up (shared
/// read-only by every shard), the stores and the counters.
struct crisis_deps {
  std::shared_ptr<const config::settings> cfg;
  std::shared_ptr<const lexicon_set> lexicons;
  std::shared_ptr<const resource_set> resources;
  pg_pool_actor pg;
  outbox_relay_actor outbox;
  std::shared_ptr<safety_metrics> metrics;
  /// Where session trajectories are shared by the nodes (session_sync.hpp);
  /// null = node-local trajectories only. The session script must be
  /// registered (register_session_script) before the first detect.
  redis_actor redis;
};

/// Spawns one crisis actor (messages/safety.hpp crisis_actor): scheduled,
/// never blocking — scoring is a few microseconds in the actor, SQL goes to
/// the pool. Session trajectories live in Redis, shared by every node: one
/// compare-and-set script call per message with a session_id, bounded by
/// HAVEN_STORE_TIMEOUT_MS. Each actor keeps a node-local copy of the sessions
/// routed to it (shard by user and session id: shard_key()), used as the
/// first guess of that call and, while Redis is unavailable, instead of it
/// (docs/safety.md). Requests without a session never touch Redis.
crisis_actor spawn_crisis_actor(caf::actor_system& sys, crisis_deps deps);

/// Registers the session script with the Redis client (once per node).
void register_session_script(const redis_actor& redis);

/// The key a session's trajectory is kept under: the user and the client's
/// session id, so two users can never share (or steer) a trajectory.
std::string shard_key(const std::string& user_id, const std::string& session_id);

/// The shard that owns (user, session): one owner per key is a correctness
/// rule (a session's node-local trajectory copy and its open event live in
/// that shard), so every caller (detect, chat, NATS) picks it here.
const crisis_actor& shard_for(const std::vector<crisis_actor>& shards, const std::string& user_id,
                              const std::string& session_id);

} // namespace haven::crisis
