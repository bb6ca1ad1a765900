#pragma once

#include <memory>

#include <caf/actor_system.hpp>

#include "actors/auth/signing_keys.hpp"
#include "config/settings.hpp"
#include "messages/auth.hpp"
#include "messages/bus.hpp"
#include "messages/pg.hpp"
#include "messages/redis.hpp"

namespace haven::auth {

/// What the auth actor talks to.
struct auth_deps {
  std::shared_ptr<const config::settings> cfg;
  std::shared_ptr<const signing_keys> keys;
  pg_pool_actor pg;
  redis_actor redis;
  bus_actor bus;
  outbox_relay_actor outbox;
  password_hasher_actor hashers;
  revocation_actor revoker;
};

/// Spawns the auth domain actor (messages/auth.hpp auth_actor): scheduled,
/// never blocking — Argon2 runs in the hasher pool, SQL in the pg pool. It
/// registers its throttle script with Redis and subscribes to
/// `<prefix>.cluster.user` (cache invalidations from the other nodes).
auth_actor spawn_auth_actor(caf::actor_system& sys, auth_deps deps);

} // namespace haven::auth
