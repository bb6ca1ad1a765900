#pragma once

#include <cstdint>

namespace haven::rate {

/// A limit: `limit` requests per `window_ms`, refilled continuously.
struct rate_policy {
  uint32_t limit = 60;
  int64_t window_ms = 60000;
  /// The emission interval: one request's share of the window.
  double interval_ms() const { return static_cast<double>(window_ms) / limit; }
};

/// What a decision tells the client (API.md section 2 headers).
struct decision {
  bool allowed = false;
  uint32_t limit = 0;
  uint32_t remaining = 0;    // requests that could be made right now
  int64_t reset_s = 0;       // seconds until the window refills fully
  int64_t retry_after_s = 0; // when refused: seconds until one request is allowed (>= 1)
};

/// The Generic Cell Rate Algorithm: the whole state of a key is one number,
/// the theoretical arrival time (TAT) of the next request. A fresh key may
/// spend `limit` requests at once; after that one request per interval.
/// Times are milliseconds on any clock; a clock going backwards never grants
/// more (the TAT only moves forward). Pure: the caller passes `now`.
class gcra {
 public:
  /// Tries to spend `cost` requests at `now`.
  decision take(const rate_policy& p, int64_t now_ms, uint32_t cost = 1);
  /// The state without spending (GET /v1/auth/rate-limit).
  decision peek(const rate_policy& p, int64_t now_ms) const;

  /// The TAT, for storage (e.g. in Redis) and tests.
  double tat_ms() const { return tat_; }
  void set_tat_ms(double tat) { tat_ = tat; }

 private:
  decision describe(const rate_policy& p, double tat, int64_t now_ms, bool allowed) const;
  double tat_ = 0;
};

/// Whole seconds, rounded up, of a duration in milliseconds (>= 0).
int64_t ceil_seconds(double ms);

} // namespace haven::rate
