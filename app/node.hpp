#pragma once

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "app/auth_wiring.hpp"
#include "app/rate_limit_wiring.hpp"
#include "app/safety_wiring.hpp"
#include "app/sessions_wiring.hpp"
#include "app/status_wiring.hpp"
#include "app/sync_wiring.hpp"
#include "config/settings.hpp"
#include "io/http/edge.hpp"
#include "messages/bus.hpp"
#include "messages/edge.hpp"
#include "messages/health.hpp"
#include "messages/pg.hpp"
#include "messages/redis.hpp"

namespace haven::app {

/// Every long-lived actor of one node, started in order (stores -> bus ->
/// domain -> edge) by `start_node` and stopped in reverse by `stop_node`.
struct node {
  std::shared_ptr<const config::settings> cfg;
  pg_pool_actor pg;
  redis_actor redis;
  bus_actor bus;
  outbox_relay_actor outbox;
  health_actor health;
  auth_parts auth;
  rate_limit_parts rate;
  safety_parts safety;
  sessions_parts sessions;
  sync_parts sync;
  status_parts status;
  edge_actor edge;
  uint16_t port = 0;
};

/// Registers every message type block with the actor system config.
void register_message_types(caf::actor_system_config& cfg);

/// Starts the node; fails only when the HTTP address cannot be bound. The
/// stores may be down: the node starts anyway, reports it in /health, and
/// becomes ready (GET /ready) once migrations are applied.
caf::expected<node> start_node(caf::actor_system& sys, std::shared_ptr<const config::settings> cfg);

/// Drains the edge (in-flight requests finish, bounded by the shutdown
/// deadline), then stops the rest in reverse order of start.
void stop_node(caf::actor_system& sys, node& n);

} // namespace haven::app
