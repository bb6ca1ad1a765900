#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <caf/actor_system.hpp>

#include "actors/sessions/session_deps.hpp"
#include "messages/sessions.hpp"

// One conversation session's actor (docs/conversations.md "Session actors"):
// activated by its registry shard on the first request for the session id on
// this node, runs the session's turns one at a time (input moderation ->
// crisis detection with the session id -> responder -> output moderation ->
// sealed commit guarded by the session's version), and passivates after
// `deps.idle` without a turn. PostgreSQL holds the truth; the actor caches only
// the owner, the version and the queue of waiting turns (no message text
// outside a running turn), so an idle session costs well under 10 KiB.

namespace haven::sessions {

/// `transient`: not registered (the shard was full): quits after its turns.
session_actor spawn_session(caf::actor_system& sys, std::shared_ptr<const session_deps> deps,
                            conversation_actor registry, std::string session_id,
                            uint64_t incarnation, bool transient);

} // namespace haven::sessions
