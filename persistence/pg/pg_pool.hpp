#pragma once

#include <caf/actor_cast.hpp>
#include <caf/fwd.hpp>

#include "messages/pg.hpp"

namespace haven::config {
struct settings;
}

namespace haven {

/// Spawns the PostgreSQL pool: a cheap scheduled front actor with a bounded
/// queue (pg_pool_size * 64 batches; beyond it errc::overloaded at once) and
/// pg_pool_size detached workers, each owning one connection (connected on
/// first use, reconnected by itself after a failure). Uses cfg.pg_url,
/// cfg.pg_pool_size and cfg.store_timeout_ms (the limit both for waiting for a
/// connection and for running a batch). While the last connect attempt failed
/// less than 1 s ago and no connection is up, batches fail at once with
/// errc::dependency_unavailable. Stop it with an exit message
/// (caf::anon_send_exit(pool, caf::exit_reason::user_shutdown)).
pg_pool_actor spawn_pg_pool(caf::actor_system& sys, const config::settings& cfg);

/// The same actor seen through its stats interface (for /health and /metrics).
inline pg_pool_stats_actor pg_pool_stats_of(const pg_pool_actor& pool) {
  return caf::actor_cast<pg_pool_stats_actor>(pool);
}

} // namespace haven
