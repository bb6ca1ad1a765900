#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "messages/health.hpp"

struct redisContext; // hiredis, kept out of this header

namespace haven {

/// Health probe for Redis: `PING` on one kept connection (SELECT db after
/// connecting). Every call returns within its timeout even when the server
/// hangs: the connect is bounded and socket timeouts bound every read/write.
/// Not thread-safe: owned by one (detached) actor.
class redis_probe {
 public:
  redis_probe(std::string host, uint16_t port, uint32_t db);
  ~redis_probe();
  redis_probe(const redis_probe&) = delete;
  redis_probe& operator=(const redis_probe&) = delete;

  /// latency_ms: the PING round trip, or connect + SELECT + PING after a reconnect.
  probe_result ping(std::chrono::milliseconds timeout);

 private:
  using clock = std::chrono::steady_clock;
  bool connect(clock::time_point deadline, std::string& err);
  bool command(clock::time_point deadline, int argc, const char** argv, const char* expect,
               std::string& err);
  void disconnect();

  std::string host_;
  uint16_t port_;
  uint32_t db_;
  redisContext* ctx_ = nullptr;
};

} // namespace haven
