#pragma once

#include <atomic>
#include <cstdint>
#include <string>

// Counters of the processing-status family for /metrics (API.md section 8:
// store health and queue depths). Written by the status actors and the relay,
// read by the edge's metrics hook: relaxed atomics, no message per scrape.

namespace haven::status {

struct status_metrics {
  std::atomic<uint64_t> updates{0};        // updates committed (each with its outbox entry)
  std::atomic<uint64_t> refused{0};        // updates of someone else's record (404)
  std::atomic<uint64_t> store_failures{0}; // requests answered 503 (Redis down or slow)
  std::atomic<uint64_t> relayed{0};        // status.updated events NATS accepted
  std::atomic<uint64_t> relay_failures{0}; // publish attempts NATS refused (events wait)
  std::atomic<uint64_t> dropped{0};        // malformed outbox entries removed unsent
  std::atomic<int64_t> outbox_depth{-1};   // entries in the Redis outbox (-1 = not read yet)

  /// Appends the Prometheus text of every counter and the depth gauge.
  void render(std::string& out) const;
};

} // namespace haven::status
