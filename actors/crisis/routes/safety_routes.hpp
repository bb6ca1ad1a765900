#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/auth/auth_gate.hpp"
#include "actors/crisis/lexicon.hpp"
#include "actors/crisis/resources.hpp"
#include "actors/crisis/safety_metrics.hpp"
#include "io/http/ask.hpp"
#include "io/http/exchange.hpp"
#include "messages/safety.hpp"

// The HTTP translation of API.md section 4. Handlers run on the edge's
// thread: check the token with the auth gate (no hop), validate the body
// (every broken rule in one 422), and send ONE typed request to a crisis or
// moderation actor. Those actors never see HTTP.

namespace haven::crisis {

struct safety_route_deps {
  std::shared_ptr<auth::auth_gate> gate;
  std::vector<crisis_actor> crisis;         // shards: a session always reaches the same one
  std::vector<moderation_actor> moderation; // stateless: any of them
  // For the edge-thread fast path of detect: a message without a session that
  // does not escalate needs no state and no store, so it is scored in place
  // (~3 us for 300 bytes) instead of paying an actor hop.
  std::shared_ptr<const lexicon_set> lexicons;
  std::shared_ptr<const resource_set> resources;
  std::shared_ptr<safety_metrics> metrics;
};

/// POST /v1/crisis/detect, GET /v1/crisis/events, POST /v1/crisis/events/{id}/ack.
void add_crisis_routes(const safety_route_deps& d, std::vector<http::route_entry>& out);
/// POST /v1/safety/validate, GET /v1/moderation/queue, POST /v1/moderation/queue/{id}/resolve.
void add_moderation_routes(const safety_route_deps& d, std::vector<http::route_entry>& out);

/// Every route above.
std::vector<http::route_entry> safety_routes(const safety_route_deps& d);

// Helpers shared by the two route files.

/// The verified caller, or nothing (the 401 is already sent).
std::optional<auth::access_claims> safety_caller(const safety_route_deps& d, http::exchange& ex);

/// The caller when counselor or admin of an organization: a lesser role is
/// 403 (checked first: "user" is always 403), no organization 404.
std::optional<auth::access_claims> staff_caller(const safety_route_deps& d, http::exchange& ex);

/// Sends `msg` to `actor`; answers 200 with `encode(result)` or the mapped error.
template <class T, class Actor, class Encode, class... Ts>
void ask(const Actor& actor, http::exchange& ex, Encode encode, Ts&&... msg) {
  http::ask<T>(ex, actor, 200, encode, std::forward<Ts>(msg)...);
}

} // namespace haven::crisis
