#pragma once

#include <atomic>
#include <cstdint>
#include <string>

// Counters of the Argon2id pool, shared by its detached workers (atomics, no
// lock) and rendered into /metrics by the edge. The CPU time is each worker
// thread's own (CLOCK_THREAD_CPUTIME_ID): it excludes time the thread was
// preempted, so CPU seconds / hashes is the cost of one hash on this node, the
// number login throughput is compared with (bench/run-login-storm).

namespace haven::auth {

struct hash_metrics {
  std::atomic<uint64_t> hashes{0};   // new hashes (register, password change, re-hash)
  std::atomic<uint64_t> verifies{0}; // logins, password checks (dummy hash included)
  std::atomic<uint64_t> cpu_ns{0};   // worker thread CPU time spent in both
  std::atomic<uint64_t> wall_ns{0};  // wall time of both (includes preemption)
  std::atomic<uint64_t> refused{0};  // jobs answered overloaded (queue full)

  void render(std::string& out) const;
};

/// Nanoseconds of CPU time the calling thread has used.
uint64_t thread_cpu_ns();

} // namespace haven::auth
