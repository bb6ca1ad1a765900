#pragma once

#include <memory>

#include <caf/actor_system.hpp>

#include "actors/sessions/session_deps.hpp"
#include "messages/sessions.hpp"

// A registry shard (messages/sessions.hpp conversation_actor): the node-local
// map from session id to its live session actor, virtual-actor style. The
// routes send a session's requests to shard hash(id) % shards; the shard
// activates the session's actor on first use and forgets it when it
// passivates. Any node can activate any session: PostgreSQL's version per
// session, not the map, keeps two nodes' turns apart. The listings and the
// delete run here too (stateless queries; message text is opened here).

namespace haven::sessions {

conversation_actor spawn_registry(caf::actor_system& sys, std::shared_ptr<const session_deps> d);

/// The shard of a session id.
const conversation_actor& shard_of(const std::vector<conversation_actor>& shards,
                                   const std::string& session_id);

} // namespace haven::sessions
