#include "actors/auth/throttle.hpp"

#include <algorithm>

namespace haven::auth {

uint32_t retry_after_s(std::chrono::milliseconds remaining) {
  auto ms = std::max<int64_t>(remaining.count(), 0);
  auto s = (ms + 999) / 1000; // round up: never tell a client to come back too early
  return static_cast<uint32_t>(std::max<int64_t>(s, 1));
}

std::optional<uint32_t> reservation_refusal(const std::vector<window_count>& counts,
                                            const std::vector<uint64_t>& limits) {
  std::optional<uint32_t> out;
  for (size_t i = 0; i < counts.size() && i < limits.size(); ++i) {
    if (limits[i] == 0 || counts[i].count < limits[i])
      continue;
    auto s = retry_after_s(counts[i].remaining);
    out = out ? std::max(*out, s) : s;
  }
  return out;
}

std::optional<uint32_t> login_refusal(const window_count& account, uint64_t max_account,
                                      const window_count& address, uint64_t max_address) {
  return reservation_refusal({account, address}, {max_account, max_address});
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
    drop_expired(now);
    if (counters_.size() >= max_keys_) { // the window that ends first goes
      counters_.erase(order_.front());
      order_.pop_front();
    }
    order_.push_back(key);
    i = counters_.emplace(key, entry{0, now, std::prev(order_.end())}).first;
  }
  auto& e = i->second;
  if (e.ends <= now) { // a new window: it now ends last
    e.count = 0;
    e.ends = now + window_;
    order_.splice(order_.end(), order_, e.order);
  }
  ++e.count;
  return {e.count, std::chrono::duration_cast<std::chrono::milliseconds>(e.ends - now)};
}

std::optional<uint32_t> local_windows::reserve(const std::vector<std::string>& keys,
                                               const std::vector<uint64_t>& limits,
                                               clock::time_point now) {
  std::vector<window_count> counts;
  counts.reserve(keys.size());
  for (auto& k : keys)
    counts.push_back(peek(k, now));
  if (auto refused = reservation_refusal(counts, limits))
    return refused;
  for (auto& k : keys)
    add(k, now);
  return std::nullopt;
}

void local_windows::release(const std::string& key, clock::time_point now) {
  auto i = counters_.find(key);
  if (i != counters_.end() && i->second.ends > now && i->second.count > 0)
    --i->second.count;
}

void local_windows::reset(const std::string& key) {
  auto i = counters_.find(key);
  if (i == counters_.end())
    return;
  order_.erase(i->second.order);
  counters_.erase(i);
}

// Windows end in list order, so the expired ones are a prefix of the list:
// each is dropped once, O(1) amortized per insert.
void local_windows::drop_expired(clock::time_point now) {
  while (!order_.empty()) {
    auto i = counters_.find(order_.front());
    if (i != counters_.end() && i->second.ends > now)
      return;
    if (i != counters_.end())
      counters_.erase(i);
    order_.pop_front();
  }
}

} // namespace haven::auth
