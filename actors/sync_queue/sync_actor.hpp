#pragma once

#include <chrono>
#include <memory>

#include <caf/actor_system.hpp>

#include "actors/sync_queue/sync_metrics.hpp"
#include "config/settings.hpp"
#include "messages/bus.hpp"
#include "messages/pg.hpp"
#include "messages/sync.hpp"

namespace haven::sync {

struct sync_deps {
  std::shared_ptr<const config::settings> cfg;
  pg_pool_actor pg;
  outbox_relay_actor outbox; // poked after a commit with events (may be null in tests)
  bus_actor bus;             // `<prefix>.cluster.sync.<user>` pokes (may be null)
  std::shared_ptr<sync_metrics> metrics;
  /// A per-user queue idle this long is passivated (checked every idle / 3).
  std::chrono::milliseconds idle{30000};
  /// Uploads one user may have waiting on this node; beyond: errc::overloaded.
  size_t max_queued = 64;
  /// Plans one upload may make when other nodes keep writing the same user
  /// in between (each failed claim means another upload was committed).
  int max_plans = 50;
};

/// Spawns the node's sync front actor (messages/sync.hpp). Uploads go to a
/// per-user queue actor, spawned on the first upload of that user and
/// passivated after `idle` with nothing queued; it applies that user's
/// uploads one at a time, in arrival order: read what the store holds, plan
/// (op_rules.hpp), write the plan in one transaction that claims the user's
/// sync state at the revision read (a row lock: across nodes one user's
/// writes are serialized by PostgreSQL; a claim that finds the state moved
/// reads and plans again), answer after COMMIT, then poke the outbox relay
/// and publish `<prefix>.cluster.sync.<user>` (best effort). Feed queries go
/// straight to the pool (a read; no queue).
sync_actor spawn_sync_actor(caf::actor_system& sys, sync_deps deps);

} // namespace haven::sync
