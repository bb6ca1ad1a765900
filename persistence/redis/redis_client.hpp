#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include "messages/redis.hpp"

namespace haven::config {
struct settings;
}

namespace haven {

struct redis_options {
  /// Detached actors, each owning one blocking hiredis connection (1 or 2
  /// fit this 2-core machine; more only help with slow scripts).
  size_t workers = 2;
  /// Consecutive failed requests that open the circuit.
  uint32_t failures_to_open = 1;
  /// While open: one background PING at most this often.
  std::chrono::milliseconds probe_interval{250};
  /// 0 = settings.store_timeout_ms: bounds the connect and each socket read/write.
  std::chrono::milliseconds timeout{0};
  /// Requests in flight beyond this are refused with errc::overloaded (rule 4).
  size_t max_in_flight = 4096;
  /// Lua scripts known from the start (more via a redis_script message).
  std::vector<redis_script> scripts;
};

/// Spawns the Redis client: a scheduled front actor (circuit breaker, routing,
/// never blocks) and `workers` detached actors that do the blocking hiredis
/// calls. Returns at once, also when Redis is down (connections are made on
/// first use). The workers stop when the front actor stops: send it an exit
/// at shutdown (while Redis is down its probe timer keeps it alive).
redis_actor spawn_redis(caf::actor_system& sys, const config::settings& cfg,
                        redis_options opts = {});

/// Registers (or replaces) a Lua script for redis_script_call. The message is
/// queued at once, so a call sent after this returns sees the script.
inline void register_script(const redis_actor& redis, std::string name, std::string lua_source) {
  caf::anon_send(redis, redis_script{std::move(name), std::move(lua_source)});
}

} // namespace haven
