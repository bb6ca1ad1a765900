#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

// Credential-endpoint throttles (API.md section 3), pure arithmetic with an
// injected clock. The counters normally live in Redis (fixed windows: the
// first hit sets the expiry, later hits never extend it); `local_windows` is
// the node-local fallback used while Redis is down.

namespace haven::auth {

/// The throttle window of API.md section 3.
constexpr std::chrono::milliseconds throttle_window = std::chrono::minutes(15);

/// One counter as read: hits so far and the time left until it resets.
struct window_count {
  uint64_t count = 0;
  std::chrono::milliseconds remaining{0};
};

/// Whole seconds until the window passes, at least 1 (the Retry-After value).
uint32_t retry_after_s(std::chrono::milliseconds remaining);

/// Login: refused (with the larger Retry-After) when either failure counter
/// already reached its limit. The attempt itself is not counted, so refused
/// attempts never extend the window. A limit of 0 disables that counter.
std::optional<uint32_t> login_refusal(const window_count& account, uint64_t max_account,
                                      const window_count& address, uint64_t max_address);

/// Register / reset: `after` is the counter including this attempt; refused
/// once it exceeds `limit` (so `limit` attempts pass per window).
std::optional<uint32_t> attempt_refusal(const window_count& after, uint64_t limit);

/// Fixed-window counters in memory, for when Redis is unreachable. Bounded:
/// past `max_keys` live keys, expired ones are dropped, then the oldest.
class local_windows {
 public:
  using clock = std::chrono::steady_clock;

  explicit local_windows(std::chrono::milliseconds window = throttle_window,
                         size_t max_keys = 100000);

  /// The counter at `now` without changing it.
  window_count peek(const std::string& key, clock::time_point now) const;
  /// Adds one hit (a new window starts when none is running) and returns the
  /// counter after it.
  window_count add(const std::string& key, clock::time_point now);
  /// Forgets a key (a successful login resets its account counter).
  void reset(const std::string& key) { counters_.erase(key); }
  size_t size() const { return counters_.size(); }

 private:
  struct entry {
    uint64_t count = 0;
    clock::time_point ends;
  };
  void make_room(clock::time_point now);

  std::chrono::milliseconds window_;
  size_t max_keys_;
  std::unordered_map<std::string, entry> counters_;
};

} // namespace haven::auth
