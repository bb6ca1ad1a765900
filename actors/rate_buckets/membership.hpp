#pragma once

#include <memory>

#include <caf/actor_system.hpp>

#include "config/settings.hpp"
#include "messages/bus.hpp"
#include "messages/rate.hpp"
#include "messages/redis.hpp"

namespace haven::rate {

/// Heartbeat period and how long a node counts as live after its last one.
constexpr auto heartbeat_period = std::chrono::seconds(1);
constexpr auto node_liveness = std::chrono::seconds(3);

/// Spawns the membership actor of the rate limiter: publishes this node's
/// heartbeat on `<prefix>.cluster.heartbeat` every second, counts the nodes
/// heard from in the last 3 s (itself included, also when NATS is down), asks
/// the Redis client whether its circuit is open (no Redis call), and pushes
/// both to `edge` every 250 ms. It never touches per-request state.
rate_membership_actor spawn_membership(caf::actor_system& sys,
                                       std::shared_ptr<const config::settings> cfg, bus_actor bus,
                                       redis_actor redis, rate_listener edge);

} // namespace haven::rate
