#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "config/settings.hpp"
#include "io/http/edge.hpp"
#include "io/http/exchange.hpp"
#include "messages/pg.hpp"
#include "messages/safety.hpp"
#include "messages/sessions.hpp"

namespace haven::auth {
class auth_gate;
}
namespace haven::sessions {
struct sessions_metrics;
class provider;
} // namespace haven::sessions

namespace haven::app {

/// The conversations family of one node (API.md section 5): the registry
/// shards, the provider client (when HAVEN_LLM_URL is set), the counters and
/// the routes.
struct sessions_parts {
  std::vector<conversation_actor> shards;
  std::shared_ptr<sessions::provider> llm;
  std::shared_ptr<sessions::sessions_metrics> metrics;
  std::vector<http::route_entry> routes;
};

/// Loads the fallback templates (HAVEN_SESSIONS_DATA_DIR, see
/// actors/sessions/fallback.hpp find_data_dir) and the data key ring
/// (HAVEN_DATA_KEY, else in dev the key file of HAVEN_JWT_KEY_DIR, see
/// actors/sessions/data_key_file.hpp; plus HAVEN_DATA_KEYS_OLD), starts the
/// provider client when HAVEN_LLM_URL is set, and spawns the registry shards.
/// The crisis and moderation actors are the safety family's. A missing or
/// malformed file or key fails start-up with one line naming it.
caf::expected<sessions_parts> start_sessions(caf::actor_system& sys,
                                             std::shared_ptr<const config::settings> cfg,
                                             pg_pool_actor pg, std::vector<crisis_actor> crisis,
                                             std::vector<moderation_actor> moderation,
                                             std::shared_ptr<auth::auth_gate> gate);

/// Chains the conversation counters after `opts.metrics_hook`.
void add_sessions_metrics(const sessions_parts& parts, http::edge_options& opts);

/// Stops the shards (session actors end with the system) and the provider
/// client (cancels and joins its thread).
void stop_sessions(sessions_parts& parts);

/// The data key ring as start_sessions builds it (also for `haven reencrypt`).
struct key_ring_source {
  std::string current_base64; // empty on error
  std::string error;
};
key_ring_source current_data_key(const config::settings& cfg);

} // namespace haven::app
