#pragma once

#include <cstddef>
#include <memory>

#include <caf/fwd.hpp>

#include "actors/auth/hash_metrics.hpp"
#include "actors/auth/passwords.hpp"
#include "messages/auth.hpp"

namespace haven::auth {

/// Spawns the Argon2id pool: a cheap front actor (on the scheduler) that owns
/// a FIFO of at most `max_queued` waiting jobs and hands each job to one of
/// `workers` detached actors (own threads), so hashing never blocks a
/// scheduler thread. A job beyond the queue is answered errc::overloaded at
/// once. The workers are linked to the front: stopping the front (send it an
/// exit) stops them after their current hash.
///
/// Blocks the caller for one hash (the dummy hash for unknown accounts):
/// call it at start-up, not from an actor.
/// `metrics` (optional) counts every operation and its CPU time.
password_hasher_actor spawn_password_hashers(caf::actor_system& sys, size_t workers,
                                             argon_params params, size_t max_queued = 64,
                                             std::shared_ptr<hash_metrics> metrics = nullptr);

} // namespace haven::auth
