#pragma once

#include <atomic>
#include <cstdint>
#include <string>

// Counters of the conversations family for /metrics. Relaxed atomics written
// by the registry and session actors, read by the edge's metrics hook (the
// same pattern as actors/crisis/safety_metrics.hpp). Counts only: never text.

namespace haven::sessions {

struct sessions_metrics {
  std::atomic<int64_t> active{0};             // session actors alive on this node
  std::atomic<uint64_t> activations{0};       // session actors spawned
  std::atomic<uint64_t> passivations{0};      // session actors stopped after idle time
  std::atomic<uint64_t> turns{0};             // turns committed
  std::atomic<uint64_t> version_retries{0};   // commits that found another node's turn first
  std::atomic<uint64_t> conflicts{0};         // turns answered 409 (version lost 3 times)
  std::atomic<uint64_t> provider_replies{0};  // replies from the language-model provider
  std::atomic<uint64_t> provider_failures{0}; // provider failed / timed out / busy: fallback
  std::atomic<uint64_t> fallback_replies{0};  // replies from the built-in templates
  std::atomic<uint64_t> blocked_inputs{0};    // input blocked by moderation (answered 200)
  std::atomic<uint64_t> unopenable{0};        // stored messages no key of the ring opens

  void render(std::string& out) const;
};

} // namespace haven::sessions
