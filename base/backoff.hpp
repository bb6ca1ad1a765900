#pragma once

#include <chrono>

// Reconnect pacing for the NATS connection (and the outbox relay's
// PostgreSQL connection): exponential backoff with a cap and random jitter, so
// a fleet of nodes that lost the server at the same moment does not return in
// lock step. Pure: the caller supplies the attempt number and the randomness.

namespace haven {

struct backoff_policy {
  std::chrono::milliseconds base{100}; // first wait
  std::chrono::milliseconds cap{2000}; // waits never exceed cap * (1 + jitter)
  double jitter = 0.25;                // up to this fraction added at random
};

/// The wait before attempt round `attempt` (1-based; values below 1 count as
/// 1): min(base * 2^(attempt-1), cap) * (1 + jitter * unit), where `unit` is
/// a random number in [0, 1) (clamped into that range).
std::chrono::milliseconds backoff_delay(const backoff_policy& p, int attempt, double unit);

} // namespace haven
