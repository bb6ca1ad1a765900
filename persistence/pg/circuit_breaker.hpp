#pragma once

#include <chrono>

namespace haven::pg {

/// Remembers whether the last connect attempt failed, so that while the
/// database is down callers fail at once instead of each waiting for a connect
/// timeout. After `open_for`, one trial connect is let through (half-open);
/// its outcome closes or re-opens the circuit. Time is passed in by the caller
/// (testable without sleeping). Not thread-safe: owned by the pool actor.
/// Not redis::circuit_breaker: the trial is the caller's own connect, no background probe.
class circuit_breaker {
 public:
  using clock = std::chrono::steady_clock;

  explicit circuit_breaker(clock::duration open_for = std::chrono::seconds{1})
      : open_for_(open_for) {}

  /// Open: a connect failed less than `open_for` ago (or a trial is running
  /// after one). Callers that would need a new connection should fail fast.
  bool open(clock::time_point now) const {
    return failed_ && (trial_ || now - failed_at_ < open_for_);
  }

  /// May a connect be attempted now? When closed, always; when the open
  /// period has passed, once (the trial) until its outcome is recorded.
  bool try_connect(clock::time_point now) {
    if (!failed_)
      return true;
    if (trial_ || now - failed_at_ < open_for_)
      return false;
    trial_ = true;
    return true;
  }

  void record_failure(clock::time_point now) {
    failed_ = true;
    trial_ = false;
    failed_at_ = now;
  }

  void record_success() {
    failed_ = false;
    trial_ = false;
  }

 private:
  clock::duration open_for_;
  clock::time_point failed_at_{};
  bool failed_ = false;
  bool trial_ = false;
};

} // namespace haven::pg
