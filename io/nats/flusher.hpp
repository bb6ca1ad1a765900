#pragma once

#include <chrono>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "io/nats/connection.hpp"

namespace haven::nats {

using flush_atom = caf::atom_constant<caf::atom("natsflush")>;
constexpr flush_atom flush_atom_v = flush_atom{};

/// Answers true once everything published before the request reached the
/// server (natsConnection_FlushTimeout), or errc::dependency_unavailable.
using flusher_actor = caf::typed_actor<caf::replies_to<flush_atom>::with<bool>>;

/// A detached (own thread) actor, because FlushTimeout blocks for a round
/// trip. Requests queued while it waits ride the next flush together.
flusher_actor spawn_flusher(caf::actor_system& sys, std::shared_ptr<connection> conn,
                            std::chrono::milliseconds timeout);

} // namespace haven::nats
