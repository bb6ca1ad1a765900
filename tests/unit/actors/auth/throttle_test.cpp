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
