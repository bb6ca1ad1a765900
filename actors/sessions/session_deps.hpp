#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "actors/sessions/data_key.hpp"
#include "actors/sessions/fallback.hpp"
#include "actors/sessions/provider.hpp"
#include "actors/sessions/sessions_metrics.hpp"
#include "config/settings.hpp"
#include "messages/pg.hpp"
#include "messages/safety.hpp"

namespace haven::sessions {

/// What the registry and session actors share: immutable after start-up,
/// held by one shared_ptr per actor so an idle session costs 16 bytes of it.
struct session_deps {
  std::shared_ptr<const config::settings> cfg;
  pg_pool_actor pg;
  std::vector<crisis_actor> crisis;         // the safety family's shards (same routing as detect)
  std::vector<moderation_actor> moderation; // stateless: any of them
  std::shared_ptr<const fallback_templates> templates;
  std::shared_ptr<const key_ring> keys;
  std::shared_ptr<provider> llm; // null: fallback only
  std::shared_ptr<sessions_metrics> metrics;
  std::chrono::seconds idle{300};       // HAVEN_SESSION_IDLE_S: passivate after this
  size_t max_active_per_shard = 250000; // beyond it turns run on unregistered actors
  uint32_t history_messages = 8;        // provider history: the last N messages
  int commit_attempts = 3;              // version misses before 409
};

} // namespace haven::sessions
