#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/redis.hpp"
#include "persistence/redis/redis_connection.hpp"

// Internal to the Redis client: the detached actor that owns one blocking
// hiredis connection. Only redis_client.cpp talks to it.

namespace haven::redis {

/// Steady-clock nanoseconds: when the front actor handed a job over.
int64_t now_ns();

/// Jobs carry the time they were sent: a job queued before this worker's
/// last failure is failed at once instead of waiting for its own timeout on a
/// server that just stopped answering (so a hung Redis costs one timeout per
/// worker, not one per queued job).
using worker_actor = caf::typed_actor<
    caf::replies_to<int64_t, std::vector<redis_command>>::with<std::vector<redis_reply>>,
    caf::replies_to<int64_t, redis_script_call>::with<redis_reply>, caf::reacts_to<redis_script>,
    caf::replies_to<probe_atom>::with<bool>>;

worker_actor spawn_worker(caf::actor_system& sys, redis_conn_params params,
                          std::vector<redis_script> scripts, int index);

} // namespace haven::redis
