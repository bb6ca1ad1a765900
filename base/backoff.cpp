#include "base/backoff.hpp"

#include <algorithm>

namespace haven {

std::chrono::milliseconds backoff_delay(const backoff_policy& p, int attempt, double unit) {
  const auto cap = std::max<int64_t>(p.cap.count(), 0);
  int64_t d = std::min<int64_t>(std::max<int64_t>(p.base.count(), 0), cap);
  // Doubling stops at the cap; the loop is bounded because d only grows.
  for (int i = 1; i < attempt && d > 0 && d < cap; ++i)
    d = std::min<int64_t>(d * 2, cap);
  unit = std::clamp(unit, 0.0, 0.999999);
  const double jitter = std::max(p.jitter, 0.0);
  return std::chrono::milliseconds{d +
                                   static_cast<int64_t>(static_cast<double>(d) * jitter * unit)};
}

} // namespace haven
