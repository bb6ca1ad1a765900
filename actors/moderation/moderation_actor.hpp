#pragma once

#include <memory>

#include <caf/actor_system.hpp>

#include "actors/crisis/safety_metrics.hpp"
#include "actors/moderation/moderator.hpp"
#include "config/settings.hpp"
#include "messages/bus.hpp"
#include "messages/pg.hpp"
#include "messages/safety.hpp"

namespace haven::moderation {

struct moderation_deps {
  std::shared_ptr<const config::settings> cfg;
  std::shared_ptr<const moderator> mod; // immutable, shared by every actor
  pg_pool_actor pg;
  outbox_relay_actor outbox;
  std::shared_ptr<crisis::safety_metrics> metrics;
};

/// Spawns one moderation actor (messages/safety.hpp moderation_actor):
/// scheduled, stateless apart from its deps (validate is ~5 µs for a chat
/// message, ~110 µs for 8 KiB), so any number of them can share the load.
/// Flagged items are stored (no text) with their moderation.flagged outbox
/// row in one transaction before the answer.
moderation_actor spawn_moderation_actor(caf::actor_system& sys, moderation_deps deps);

} // namespace haven::moderation
