#pragma once

#include <atomic>
#include <cstdint>
#include <string>

// The sync family's counters for /metrics (written by the sync actors,
// rendered on the edge's thread: relaxed atomics).

namespace haven::sync {

struct sync_metrics {
  std::atomic<uint64_t> uploads{0}; // uploads answered 200
  std::atomic<uint64_t> applied{0}; // ops by outcome
  std::atomic<uint64_t> duplicate{0};
  std::atomic<uint64_t> conflict{0};
  std::atomic<uint64_t> rejected{0};
  std::atomic<uint64_t> replans{0};       // claims that found the state moved (another node wrote)
  std::atomic<uint64_t> failed{0};        // uploads answered with an error
  std::atomic<int64_t> queues{0};         // live per-user queue actors on this node
  std::atomic<int64_t> queued_uploads{0}; // uploads waiting in them (incl. the running ones)

  void render(std::string& out) const;
};

} // namespace haven::sync
