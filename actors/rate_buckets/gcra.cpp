#include "actors/rate_buckets/gcra.hpp"

#include <algorithm>
#include <cmath>

namespace haven::rate {

int64_t ceil_seconds(double ms) {
  if (ms <= 0)
    return 0;
  return static_cast<int64_t>(std::ceil(ms / 1000.0 - 1e-9));
}

decision gcra::describe(const rate_policy& p, double tat, int64_t now_ms, bool allowed) const {
  decision d;
  d.allowed = allowed;
  d.limit = p.limit;
  auto now = static_cast<double>(now_ms);
  auto used = std::max(0.0, tat - now); // how much of the window is spoken for
  auto free_ms = static_cast<double>(p.window_ms) - used;
  // A tiny epsilon keeps 60/60 s from reading as 59.999… requests.
  d.remaining =
      free_ms <= 0 ? 0 : static_cast<uint32_t>(std::floor(free_ms / p.interval_ms() + 1e-9));
  d.remaining = std::min(d.remaining, p.limit);
  d.reset_s = ceil_seconds(used);
  if (!allowed) {
    // One more request fits once `used` has shrunk to window - interval.
    auto wait = used + p.interval_ms() - static_cast<double>(p.window_ms);
    d.retry_after_s = std::max<int64_t>(1, ceil_seconds(wait));
  }
  return d;
}

decision gcra::take(const rate_policy& p, int64_t now_ms, uint32_t cost) {
  auto now = static_cast<double>(now_ms);
  auto tat = std::max(tat_, now);
  auto new_tat = tat + p.interval_ms() * cost;
  if (new_tat - now > static_cast<double>(p.window_ms) + 1e-6)
    return describe(p, tat, now_ms, false);
  tat_ = new_tat;
  return describe(p, new_tat, now_ms, true);
}

decision gcra::peek(const rate_policy& p, int64_t now_ms) const {
  return describe(p, std::max(tat_, static_cast<double>(now_ms)), now_ms, true);
}

} // namespace haven::rate
