#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nats/nats.h>

#include "messages/health.hpp"

namespace haven {

/// Health probe for NATS: a dedicated connection ("haven-health") that libnats
/// keeps reconnecting forever in the background; ping() round-trips a flush.
/// Construction never fails (a down server only means "not connected yet"),
/// but it waits up to the connect timeout per URL for a first attempt.
/// Not thread-safe: owned by one (detached) actor.
class nats_probe {
 public:
  explicit nats_probe(std::vector<std::string> urls);
  ~nats_probe();
  nats_probe(const nats_probe&) = delete;
  nats_probe& operator=(const nats_probe&) = delete;

  /// latency_ms: the PING/PONG round trip of the flush.
  probe_result ping(std::chrono::milliseconds timeout);

 private:
  natsConnection* conn_ = nullptr;
  std::string setup_error_; // why there is no connection object at all
};

} // namespace haven
