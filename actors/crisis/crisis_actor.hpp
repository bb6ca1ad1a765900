#pragma once

#include <memory>

#include <caf/actor_system.hpp>

#include "actors/crisis/lexicon.hpp"
#include "actors/crisis/resources.hpp"
#include "actors/crisis/safety_metrics.hpp"
#include "config/settings.hpp"
#include "messages/bus.hpp"
#include "messages/pg.hpp"
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
};

/// Spawns one crisis actor (messages/safety.hpp crisis_actor): scheduled,
/// never blocking — scoring is a few microseconds in the actor, SQL goes to
/// the pool. It owns the trajectories of the sessions routed to it, so a
/// session must always reach the same actor (shard by user and session id:
/// shard_key()). Trajectories are node-local: a session that moves to
/// another node starts a fresh trajectory there (docs/safety.md).
crisis_actor spawn_crisis_actor(caf::actor_system& sys, crisis_deps deps);

/// The key a session's trajectory is kept under: the user and the client's
/// session id, so two users can never share (or steer) a trajectory.
std::string shard_key(const std::string& user_id, const std::string& session_id);

} // namespace haven::crisis
