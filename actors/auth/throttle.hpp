#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

// Credential-endpoint throttles (API.md section 3), pure arithmetic with an
// injected clock. The counters normally live in Redis (fixed windows: the
// first hit sets the expiry, later hits never extend it); `local_windows` is
// the node-local fallback used while Redis is down.
//
// Login attempts are *reserved* before the password is checked (issue 12,
// M3): the reservation checks every counter and, only when all are below
// their limits, adds one to each, in one step (a Lua script in Redis, one
// actor turn locally). So K parallel attempts can never all pass a check that
// ran before any of them was counted. A success gives the reservation back.

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

/// Any number of counters, as read before a reservation: refused (largest
/// Retry-After) when one of them reached its limit (0 = no limit).
std::optional<uint32_t> reservation_refusal(const std::vector<window_count>& counts,
                                            const std::vector<uint64_t>& limits);

/// Register / reset: `after` is the counter including this attempt; refused
/// once it exceeds `limit` (so `limit` attempts pass per window).
std::optional<uint32_t> attempt_refusal(const window_count& after, uint64_t limit);

/// Fixed-window counters in memory, for when Redis is unreachable. Bounded:
/// past `max_keys` live keys the one whose window ends first is dropped. Every
/// window has the same length, so windows end in the order they started: a
/// list in start order makes eviction O(1) (L8), with no scan.
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
  /// Reserves one attempt on every key: refused (nothing changes) when one of
  /// them reached its limit, else one hit added to each. Returns the refusal.
  std::optional<uint32_t> reserve(const std::vector<std::string>& keys,
                                  const std::vector<uint64_t>& limits, clock::time_point now);
  /// Gives one hit back (a reservation that was not a failure); never below 0.
  void release(const std::string& key, clock::time_point now);
  /// Forgets a key (a successful login resets its account counter).
  void reset(const std::string& key);
  size_t size() const { return counters_.size(); }

 private:
  struct entry {
    uint64_t count = 0;
    clock::time_point ends;
    std::list<std::string>::iterator order; // position in order_
  };
  void drop_expired(clock::time_point now);

  std::chrono::milliseconds window_;
  size_t max_keys_;
  std::unordered_map<std::string, entry> counters_;
  std::list<std::string> order_; // keys by window start, oldest first
};

} // namespace haven::auth
