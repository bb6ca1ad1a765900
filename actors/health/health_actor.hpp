#pragma once

#include <chrono>
#include <memory>

#include <caf/actor_system.hpp>

#include "messages/bus.hpp"
#include "messages/health.hpp"
#include "messages/pg.hpp"

namespace haven::config {
struct settings;
}

namespace haven::health {

/// How often stores are probed and how long one probe may take.
struct probe_timing {
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds timeout{500};
};

/// Spawns one detached prober per store (they block on their store's socket,
/// never on a scheduler thread) and the health actor that asks them every
/// `interval` and pushes the result to its subscribers. With `pool` and
/// `outbox`, each round also collects the pool's stats and the outbox depth.
health_actor spawn_health(caf::actor_system& sys, const config::settings& cfg,
                          probe_timing timing = {}, pg_pool_stats_actor pool = {},
                          outbox_relay_actor outbox = {});

} // namespace haven::health
