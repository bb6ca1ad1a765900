#include "actors/rate_buckets/rate_headers.hpp"

#include <algorithm>

namespace haven::rate {

std::string rate_headers(const decision& d, uint32_t window_s, bool degraded) {
  auto limit = std::to_string(d.limit);
  auto remaining = std::to_string(d.remaining);
  auto reset = std::to_string(std::max<int64_t>(0, d.reset_s));
  std::string h;
  h.reserve(192);
  h.append("X-RateLimit-Limit: ").append(limit);
  h.append("\r\nX-RateLimit-Remaining: ").append(remaining);
  h.append("\r\nX-RateLimit-Reset: ").append(reset);
  h.append("\r\nRateLimit-Policy: ").append(limit).append(";w=").append(std::to_string(window_s));
  h.append("\r\nRateLimit: limit=").append(limit).append(", remaining=").append(remaining);
  h.append(", reset=").append(reset).append("\r\n");
  if (degraded)
    h.append("X-RateLimit-Degraded: 1\r\n");
  return h;
}

uint32_t retry_after_seconds(const decision& d) {
  return static_cast<uint32_t>(std::clamp<int64_t>(d.retry_after_s, 1, 86400 * 2));
}

} // namespace haven::rate
