#pragma once

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/message_handler.hpp>

#include "config/settings.hpp"
#include "io/http/edge.hpp"
#include "messages/bus.hpp"
#include "messages/edge.hpp"
#include "messages/rate.hpp"
#include "messages/redis.hpp"

namespace haven::auth {
class auth_gate;
}
namespace haven::rate {
class limiter;
}

namespace haven::app {

/// The rate-limit family of one node (API.md section 2): the limiter that
/// lives on the edge's thread, and the membership actor that feeds it.
struct rate_limit_parts {
  std::shared_ptr<rate::limiter> limiter;
  rate_membership_actor membership;
};

/// Builds the limiter, registers the lease script with the Redis client, and
/// hooks the limiter into the edge options: GET /v1/auth/rate-limit joins
/// the routes, every /v1 route is wrapped (decorate), its metrics join
/// /metrics, and its messages run on the edge thread (extensions).
rate_limit_parts start_rate_limit(std::shared_ptr<const config::settings> cfg, redis_actor redis,
                                  std::shared_ptr<auth::auth_gate> gate, http::edge_options& opts);

/// Once the edge runs: starts heartbeats and status pushes to it.
void connect_rate_limit(caf::actor_system& sys, rate_limit_parts& parts,
                        std::shared_ptr<const config::settings> cfg, bus_actor bus,
                        redis_actor redis, const edge_actor& edge);

/// Before the edge drains: unspent leased tokens go back to Redis.
void flush_rate_limit(const edge_actor& edge);

void stop_rate_limit(rate_limit_parts& parts);

} // namespace haven::app
