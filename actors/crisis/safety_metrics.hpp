#pragma once

#include <atomic>
#include <cstdint>
#include <string>

// Counters of the safety family for /metrics (API.md section 8: "crisis
// escalations"). Written by the crisis and moderation actors, read by the
// edge's metrics hook: monotonic relaxed atomics are the one piece of shared
// state, because a message round trip per scrape would buy nothing.

namespace haven::crisis {

struct safety_metrics {
  std::atomic<uint64_t> detections{0};          // detect calls answered
  std::atomic<uint64_t> escalations{0};         // crisis events stored (+ crisis.detected)
  std::atomic<uint64_t> escalation_failures{0}; // escalations answered 503: not stored
  std::atomic<uint64_t> session_fallbacks{0};   // session detects on the node-local trajectory
  std::atomic<uint64_t> validations{0};         // validate calls answered
  std::atomic<uint64_t> moderation_flagged{0};  // items queued (+ moderation.flagged)
  std::atomic<uint64_t> moderation_blocked{0};  // validate answers with action block

  /// Appends the Prometheus text of every counter.
  void render(std::string& out) const;
};

} // namespace haven::crisis
