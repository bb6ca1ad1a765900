#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "actors/auth/auth_gate.hpp"
#include "io/http/exchange.hpp"
#include "messages/sessions.hpp"

// The HTTP translation of API.md section 5's conversation routes. Handlers run
// on the edge's thread: check the token with the auth gate (no hop), validate
// (every broken rule in one 422), and send ONE typed request to the registry
// shard of the session. NATS `<prefix>.rpc.conversation.chat` runs through the
// same chat route (io/http/rpc_bridge.hpp).

namespace haven::sessions {

struct conversation_route_deps {
  std::shared_ptr<auth::auth_gate> gate;
  std::vector<conversation_actor> shards;
  /// Added to the request timeout of a chat turn: the provider's own timeout
  /// (0 without a provider), so a slow provider ends in the fallback, not 503.
  std::chrono::milliseconds provider_timeout{0};
};

/// POST /v1/conversation/chat, GET /v1/conversation/sessions,
/// GET /v1/conversation/sessions/{id}/messages, DELETE /v1/conversation/sessions/{id}.
std::vector<http::route_entry> conversation_routes(const conversation_route_deps& d);

} // namespace haven::sessions
