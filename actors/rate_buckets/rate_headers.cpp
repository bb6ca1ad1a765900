#include "actors/rate_buckets/rate_headers.hpp"

#include <algorithm>

namespace haven::rate {

header_list rate_headers(const decision& d, uint32_t window_s, bool degraded) {
  auto limit = std::to_string(d.limit);
  auto remaining = std::to_string(d.remaining);
  auto reset = std::to_string(std::max<int64_t>(0, d.reset_s));
  header_list h;
  h.reserve(degraded ? 6 : 5);
  h.emplace_back("X-RateLimit-Limit", limit);
  h.emplace_back("X-RateLimit-Remaining", remaining);
  h.emplace_back("X-RateLimit-Reset", reset);
  auto policy = limit;
  policy.append(";w=").append(std::to_string(window_s));
  std::string fields;
  fields.reserve(40);
  fields.append("limit=").append(limit).append(", remaining=").append(remaining);
  fields.append(", reset=").append(reset);
  h.emplace_back("RateLimit-Policy", std::move(policy));
  h.emplace_back("RateLimit", std::move(fields));
  if (degraded)
    h.emplace_back("X-RateLimit-Degraded", "1");
  return h;
}

uint32_t retry_after_seconds(const decision& d) {
  return static_cast<uint32_t>(std::clamp<int64_t>(d.retry_after_s, 1, 86400 * 2));
}

} // namespace haven::rate
