#include <gtest/gtest.h>

#include "actors/auth/refresh_rules.hpp"
#include "actors/auth/throttle.hpp"

using namespace haven::auth;
using namespace std::chrono_literals;

TEST(auth_throttle, retry_after_rounds_up_and_is_at_least_one) {
  EXPECT_EQ(retry_after_s(0ms), 1u);
  EXPECT_EQ(retry_after_s(-5ms), 1u);
  EXPECT_EQ(retry_after_s(1ms), 1u);
  EXPECT_EQ(retry_after_s(1000ms), 1u);
  EXPECT_EQ(retry_after_s(1001ms), 2u);
  EXPECT_EQ(retry_after_s(15min), 900u);
}

TEST(auth_throttle, login_refused_once_a_counter_reached_its_limit) {
  window_count none{};
  window_count acct4{4, 60s}, acct5{5, 90s}, addr20{20, 600s};
  EXPECT_FALSE(login_refusal(none, 5, none, 20));
  EXPECT_FALSE(login_refusal(acct4, 5, none, 20));
  EXPECT_EQ(login_refusal(acct5, 5, none, 20), 90u);
  EXPECT_EQ(login_refusal(none, 5, addr20, 20), 600u);
  EXPECT_EQ(login_refusal(acct5, 5, addr20, 20), 600u); // the longer wait wins
  EXPECT_FALSE(login_refusal(acct5, 0, none, 0));       // 0 disables
}

TEST(auth_throttle, attempts_pass_up_to_the_limit) {
  EXPECT_FALSE(attempt_refusal({50, 10s}, 50));
  EXPECT_EQ(attempt_refusal({51, 10s}, 50), 10u);
  EXPECT_FALSE(attempt_refusal({1000, 10s}, 0));
}

TEST(auth_throttle, local_window_is_fixed_from_the_first_hit) {
  local_windows w{15min};
  auto t = local_windows::clock::time_point{} + 1h;
  EXPECT_EQ(w.peek("k", t).count, 0u);
  EXPECT_EQ(w.add("k", t).count, 1u);
  auto later = w.add("k", t + 10min);
  EXPECT_EQ(later.count, 2u);
  EXPECT_EQ(later.remaining, 5min); // hits do not extend the window
  EXPECT_EQ(w.peek("k", t + 14min).count, 2u);
  EXPECT_EQ(w.peek("k", t + 15min).count, 0u); // the window passed
  auto fresh = w.add("k", t + 16min);
  EXPECT_EQ(fresh.count, 1u);
  EXPECT_EQ(fresh.remaining, 15min);
}

TEST(auth_throttle, login_scenario_with_injected_clock) {
  // Five failures lock the account; refused attempts are not counted, so the
  // lock ends 15 min after the FIRST failure; a success then resets it.
  local_windows w{15min};
  auto t = local_windows::clock::time_point{} + 1h;
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(login_refusal(w.peek("acct", t + i * 1s), 5, {}, 20));
    w.add("acct", t + i * 1s);
  }
  auto refused = login_refusal(w.peek("acct", t + 10s), 5, {}, 20);
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused, 890u);
  EXPECT_TRUE(login_refusal(w.peek("acct", t + 14min + 59s), 5, {}, 20));
  EXPECT_FALSE(login_refusal(w.peek("acct", t + 15min), 5, {}, 20));
  w.add("acct", t + 15min + 1s);
  w.reset("acct");
  EXPECT_EQ(w.peek("acct", t + 15min + 2s).count, 0u);
}

TEST(auth_throttle, local_windows_stay_bounded) {
  local_windows w{1min, 3};
  auto t = local_windows::clock::time_point{} + 1h;
  for (int i = 0; i < 10; ++i)
    w.add("k" + std::to_string(i), t + i * 1s);
  EXPECT_LE(w.size(), 3u);
  EXPECT_EQ(w.peek("k9", t + 10s).count, 1u); // the newest survive
}

TEST(auth_refresh_rules, verdicts) {
  EXPECT_EQ(judge_refresh({false, false, false, false}), refresh_verdict::reject);
  EXPECT_EQ(judge_refresh({true, false, false, false}), refresh_verdict::rotate);
  EXPECT_EQ(judge_refresh({true, false, false, true}), refresh_verdict::reject);
  EXPECT_EQ(judge_refresh({true, false, true, false}), refresh_verdict::reject);
  EXPECT_EQ(judge_refresh({true, true, false, false}), refresh_verdict::reject_and_revoke_family);
  EXPECT_EQ(judge_refresh({true, true, false, true}), refresh_verdict::reject_and_revoke_family);
  EXPECT_EQ(judge_refresh({true, true, true, false}), refresh_verdict::reject);
}

namespace haven::auth {
namespace {

using namespace std::chrono_literals;

// M3: a reservation checks every key and counts them only when all are below
// their limits, so K reservations pass and the K+1st is refused, whatever the
// interleaving of the requests that made them.
TEST(auth_throttle, reservations_pass_exactly_k_times) {
  local_windows w{15min};
  auto t = local_windows::clock::time_point{} + 1h;
  int passed = 0;
  for (int i = 0; i < 60; ++i)
    if (!w.reserve({"acct", "addr"}, {5, 20}, t + i * 1ms))
      ++passed;
  EXPECT_EQ(passed, 5);
  EXPECT_EQ(w.peek("acct", t + 1s).count, 5u);
  EXPECT_EQ(w.peek("addr", t + 1s).count, 5u); // refused attempts are not counted
  auto refused = w.reserve({"acct", "addr"}, {5, 20}, t + 60s);
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused, 840u); // the window's rest, not extended
}

TEST(auth_throttle, a_full_address_refuses_every_account) {
  local_windows w{15min};
  auto t = local_windows::clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i)
    EXPECT_FALSE(w.reserve({"a" + std::to_string(i), "addr"}, {5, 3}, t));
  EXPECT_TRUE(w.reserve({"fresh", "addr"}, {5, 3}, t));
  EXPECT_EQ(w.peek("fresh", t).count, 0u);
}

TEST(auth_throttle, release_gives_one_back_and_reset_forgets) {
  local_windows w{15min};
  auto t = local_windows::clock::time_point{} + 1h;
  for (int i = 0; i < 5; ++i)
    ASSERT_FALSE(w.reserve({"acct", "addr"}, {5, 20}, t));
  EXPECT_TRUE(w.reserve({"acct", "addr"}, {5, 20}, t));
  w.release("acct", t);
  EXPECT_FALSE(w.reserve({"acct", "addr"}, {5, 20}, t));
  w.reset("acct");
  EXPECT_EQ(w.peek("acct", t).count, 0u);
  w.release("never", t); // unknown keys stay unknown
  EXPECT_EQ(w.peek("never", t).count, 0u);
  for (int i = 0; i < 20; ++i)
    w.release("addr", t);
  EXPECT_EQ(w.peek("addr", t).count, 0u); // never below 0
}

TEST(auth_throttle, reservation_refusal_takes_the_longest_wait) {
  std::vector<window_count> c{{5, 10s}, {20, 600s}, {1, 900s}};
  EXPECT_EQ(reservation_refusal(c, {5, 20, 2}), 600u);
  EXPECT_FALSE(reservation_refusal(c, {6, 21, 2}));
  EXPECT_FALSE(reservation_refusal(c, {0, 0, 0}));
}

// L8: eviction drops the window that ends first, expired ones before any
// live one, and a key whose window restarts moves to the back.
TEST(auth_throttle, local_windows_evict_in_window_order) {
  local_windows w{1min, 3};
  auto t = local_windows::clock::time_point{} + 1h;
  w.add("a", t);
  w.add("b", t + 1s);
  w.add("c", t + 2s);
  w.add("a", t + 61s); // a's window restarted: now the newest
  w.add("d", t + 61s); // b ended at t+61s: expired, it goes, nothing live does
  EXPECT_EQ(w.size(), 3u);
  EXPECT_EQ(w.peek("a", t + 62s).count, 1u);
  EXPECT_EQ(w.peek("d", t + 62s).count, 1u);
  EXPECT_EQ(w.peek("c", t + 61s).count, 1u);
  w.add("e", t + 61500ms); // full again, nothing expired: c ends first
  EXPECT_EQ(w.size(), 3u);
  EXPECT_EQ(w.peek("c", t + 61500ms).count, 0u);
  EXPECT_EQ(w.peek("a", t + 61500ms).count, 1u);
  for (int i = 0; i < 1000; ++i)
    w.add("k" + std::to_string(i), t + 62s);
  EXPECT_EQ(w.size(), 3u);
  EXPECT_EQ(w.peek("k999", t + 62s).count, 1u);
}

} // namespace
} // namespace haven::auth
