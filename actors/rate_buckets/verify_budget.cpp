#include "actors/rate_buckets/verify_budget.hpp"

namespace haven::rate {

verify_budget::verify_budget(uint32_t per_second, size_t max_keys)
    : policy_{per_second * 5, 5000}, max_keys_(max_keys) {}

void verify_budget::sweep(int64_t now_ms) {
  // An entry whose TAT has passed is a full bucket again: forgetting it
  // changes no decision.
  for (auto i = keys_.begin(); i != keys_.end();) {
    if (i->second.tat_ms() <= static_cast<double>(now_ms))
      i = keys_.erase(i);
    else
      ++i;
  }
  last_sweep_ms_ = now_ms;
}

decision verify_budget::take(std::string_view address, int64_t now_ms) {
  std::string key{address};
  auto i = keys_.find(key);
  if (i == keys_.end()) {
    // A full table is swept at most once a second (O(n) then, O(1) between).
    if (keys_.size() >= max_keys_ && now_ms - last_sweep_ms_ >= 1000)
      sweep(now_ms);
    if (keys_.size() >= max_keys_) {
      gcra untracked;
      return untracked.take(policy_, now_ms);
    }
    i = keys_.emplace(std::move(key), gcra{}).first;
  }
  auto d = i->second.take(policy_, now_ms);
  if (!d.allowed)
    ++refused_;
  return d;
}

} // namespace haven::rate
