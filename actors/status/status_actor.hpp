#pragma once

#include <memory>

#include <caf/actor_system.hpp>

#include "actors/status/status_metrics.hpp"
#include "config/settings.hpp"
#include "messages/redis.hpp"
#include "messages/status.hpp"

namespace haven::status {

struct status_deps {
  std::shared_ptr<const config::settings> cfg;
  redis_actor redis;        // the record store; the update script must be registered
  status_relay_actor relay; // poked after each committed update (may be null)
  std::shared_ptr<status_metrics> metrics;
};

/// Spawns a status actor (messages/status.hpp): scheduled and stateless. An
/// update is one script call (status_script.hpp: ownership, the stage, the
/// TTL and the outbox event in one atomic step); a read is one HGETALL and
/// the ownership rule here. Redis down or slow (HAVEN_STORE_TIMEOUT_MS):
/// errc::dependency_unavailable, retry after 1 s.
status_actor spawn_status_actor(caf::actor_system& sys, status_deps deps);

} // namespace haven::status
