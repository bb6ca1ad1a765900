#pragma once

#include <chrono>
#include <memory>

#include <caf/actor_system.hpp>

#include "config/settings.hpp"
#include "messages/auth.hpp"
#include "messages/bus.hpp"
#include "messages/redis.hpp"

namespace haven::auth {

/// How often the revoked set is reloaded from Redis (SCAN): the bound on how
/// long a node that missed NATS messages (disconnected, restarted) accepts a
/// revoked token, once Redis answers.
constexpr std::chrono::seconds revocation_reload_interval{5};

/// Spawns the revocation fan-out (messages/auth.hpp revocation_actor). Keys
/// are `haven:revoked:jti:<jti>` / `haven:revoked:sid:<sid>`, value = the
/// unix second the entry ends, PX = the time left. Subscribes to
/// `<prefix>.cluster.revoke`; reloads from Redis at start and every
/// revocation_reload_interval.
revocation_actor spawn_revocation_actor(caf::actor_system& sys,
                                        std::shared_ptr<const config::settings> cfg,
                                        redis_actor redis, bus_actor bus);

/// The JSON of a cluster.revoke message and its parser (pure, unit-tested).
std::string encode_revocations(const std::string& node, const std::vector<revocation>& list);
std::vector<revocation> decode_revocations(std::string_view json);

} // namespace haven::auth
