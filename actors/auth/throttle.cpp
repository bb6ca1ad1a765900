#include "actors/auth/throttle.hpp"

#include <algorithm>

namespace haven::auth {

uint32_t retry_after_s(std::chrono::milliseconds remaining) {
  auto ms = std::max<int64_t>(remaining.count(), 0);
  auto s = (ms + 999) / 1000; // round up: never tell a client to come back too early
  return static_cast<uint32_t>(std::max<int64_t>(s, 1));
}

std::optional<uint32_t> login_refusal(const window_count& account, uint64_t max_account,
                                      const window_count& address, uint64_t max_address) {
  std::optional<uint32_t> out;
  auto consider = [&](const window_count& c, uint64_t limit) {
    if (limit == 0 || c.count < limit)
      return;
    auto s = retry_after_s(c.remaining);
    out = out ? std::max(*out, s) : s;
  };
  consider(account, max_account);
  consider(address, max_address);
  return out;
}

std::optional<uint32_t> attempt_refusal(const window_count& after, uint64_t limit) {
  if (limit == 0 || after.count <= limit)
    return std::nullopt;
  return retry_after_s(after.remaining);
}

local_windows::local_windows(std::chrono::milliseconds window, size_t max_keys)
    : window_(window), max_keys_(std::max<size_t>(max_keys, 1)) {}

window_count local_windows::peek(const std::string& key, clock::time_point now) const {
  auto i = counters_.find(key);
  if (i == counters_.end() || i->second.ends <= now)
    return {};
  return {i->second.count,
          std::chrono::duration_cast<std::chrono::milliseconds>(i->second.ends - now)};
}

window_count local_windows::add(const std::string& key, clock::time_point now) {
  auto i = counters_.find(key);
  if (i == counters_.end()) {
    make_room(now);
    i = counters_.emplace(key, entry{}).first;
  }
  auto& e = i->second;
  if (e.ends <= now) {
    e.count = 0;
    e.ends = now + window_;
  }
  ++e.count;
  return {e.count, std::chrono::duration_cast<std::chrono::milliseconds>(e.ends - now)};
}

void local_windows::make_room(clock::time_point now) {
  if (counters_.size() < max_keys_)
    return;
  for (auto i = counters_.begin(); i != counters_.end();)
    i = i->second.ends <= now ? counters_.erase(i) : std::next(i);
  while (counters_.size() >= max_keys_) {
    auto oldest = std::min_element(counters_.begin(), counters_.end(),
                                   [](auto& a, auto& b) { return a.second.ends < b.second.ends; });
    counters_.erase(oldest);
  }
}

} // namespace haven::auth
