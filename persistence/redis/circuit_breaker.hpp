#pragma once

#include <chrono>
#include <cstdint>

namespace haven::redis {

/// A circuit breaker for one dependency, pure (no clock, no actors): the
/// caller passes the current time into every call, so tests drive time by hand.
///
/// closed: calls go through; `failures_to_open` consecutive failures open it.
/// open:   calls are refused at once (no per-request timeout wait); one
///         background probe at a time, at most every `probe_interval`; the
///         first successful probe closes it. Results of calls that were already
///         in flight when it opened are ignored: only a probe closes it, so a
///         late success cannot close it by mistake.
/// Not pg::circuit_breaker: only a background probe closes it, never a call's own result.
class circuit_breaker {
 public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;

  struct options {
    uint32_t failures_to_open = 1;
    std::chrono::milliseconds probe_interval{250};
  };

  circuit_breaker() = default;
  explicit circuit_breaker(options opts);

  bool is_open() const { return open_; }

  /// True when a call may go to the dependency (the circuit is closed).
  bool allow() const { return !open_; }

  /// The result of a call that was allowed.
  void on_success();
  /// Returns true when this failure opened the circuit (the caller then
  /// starts probing and logs once). The first probe is due at once.
  bool on_failure(time_point now);

  /// Open, no probe in flight and the interval since the last one has passed.
  bool probe_due(time_point now) const;
  bool probe_in_flight() const { return probing_; }
  /// When the next probe may start (meaningful while open).
  time_point next_probe_at() const { return next_probe_; }
  void probe_started(time_point now);
  /// Returns true when this probe closed the circuit.
  bool on_probe_result(bool ok, time_point now);

  /// Since when the circuit has been open (meaningful while open).
  time_point opened_at() const { return opened_at_; }
  uint32_t consecutive_failures() const { return failures_; }

 private:
  options opts_;
  bool open_ = false;
  bool probing_ = false;
  uint32_t failures_ = 0;
  time_point opened_at_{};
  time_point next_probe_{};
};

} // namespace haven::redis
