#pragma once

#include <memory>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/message_handler.hpp>

#include "config/settings.hpp"
#include "io/http/exchange.hpp"
#include "messages/auth.hpp"
#include "messages/bus.hpp"
#include "messages/edge.hpp"
#include "messages/pg.hpp"
#include "messages/redis.hpp"

namespace haven::auth {
class auth_gate;
struct hash_metrics;
} // namespace haven::auth

namespace haven::http {
struct edge_options;
}

namespace haven::app {

/// The auth family of one node (API.md section 3): the Argon2id pool, the
/// revocation fan-out, the auth actor, and what the edge needs from them
/// (routes and the extension handler that feeds the edge's revoked set).
struct auth_parts {
  password_hasher_actor hashers;
  revocation_actor revoker;
  auth_actor auth;
  std::shared_ptr<auth::auth_gate> gate;
  std::vector<http::route_entry> routes;
  caf::message_handler extensions;
  std::shared_ptr<auth::hash_metrics> hash_metrics; // the pool's counters
};

/// Loads the signing keys (HAVEN_JWT_KEY_DIR; generated in dev when missing)
/// and spawns the actors. Fails when there are no usable keys.
caf::expected<auth_parts> start_auth(caf::actor_system& sys,
                                     std::shared_ptr<const config::settings> cfg, pg_pool_actor pg,
                                     redis_actor redis, bus_actor bus, outbox_relay_actor outbox);

/// Adds the hashing pool's counters to /metrics (keeps any earlier hook).
void add_auth_metrics(const auth_parts& parts, http::edge_options& opts);

/// Once the edge runs: its revoked set starts receiving revocations.
void connect_auth(const auth_parts& parts, const edge_actor& edge);

/// Stops the auth actors (after the edge drained).
void stop_auth(auth_parts& parts);

} // namespace haven::app
