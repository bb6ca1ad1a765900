#include "actors/rate_buckets/gcra.hpp"

#include <gtest/gtest.h>

using namespace haven::rate;

namespace {
const rate_policy sixty_per_minute{60, 60000};
} // namespace

TEST(gcra, a_fresh_key_may_burst_the_whole_limit) {
  gcra g;
  for (uint32_t i = 0; i < 60; ++i) {
    auto d = g.take(sixty_per_minute, 1000);
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 59 - i);
    EXPECT_EQ(d.limit, 60u);
  }
  auto refused = g.take(sixty_per_minute, 1000);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0u);
  EXPECT_EQ(refused.retry_after_s, 1); // one interval (1 s) until the next fits
  EXPECT_EQ(refused.reset_s, 60);
}

TEST(gcra, refills_one_request_per_interval_at_exact_boundaries) {
  gcra g;
  for (int i = 0; i < 60; ++i)
    g.take(sixty_per_minute, 0);
  EXPECT_FALSE(g.take(sixty_per_minute, 999).allowed);
  auto d = g.take(sixty_per_minute, 1000);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 0u);
  EXPECT_FALSE(g.take(sixty_per_minute, 1000).allowed);
}

TEST(gcra, retry_after_is_honest) {
  rate_policy p{3, 30000}; // one per 10 s
  gcra g;
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(g.take(p, 0).allowed);
  auto refused = g.take(p, 2500);
  ASSERT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 8); // 7.5 s rounded up
  EXPECT_FALSE(g.take(p, 2500 + 7000).allowed);
  EXPECT_TRUE(g.take(p, 2500 + refused.retry_after_s * 1000).allowed);
}

TEST(gcra, refused_requests_do_not_consume) {
  gcra g;
  rate_policy p{1, 10000};
  ASSERT_TRUE(g.take(p, 0).allowed);
  for (int i = 0; i < 100; ++i)
    EXPECT_FALSE(g.take(p, 5000).allowed);
  EXPECT_TRUE(g.take(p, 10000).allowed);
}

TEST(gcra, reset_counts_until_the_window_is_full_again) {
  gcra g;
  for (int i = 0; i < 30; ++i)
    g.take(sixty_per_minute, 0);
  auto d = g.peek(sixty_per_minute, 0);
  EXPECT_EQ(d.remaining, 30u);
  EXPECT_EQ(d.reset_s, 30);
  EXPECT_EQ(g.peek(sixty_per_minute, 30000).remaining, 60u);
  EXPECT_EQ(g.peek(sixty_per_minute, 30000).reset_s, 0);
}

TEST(gcra, huge_gaps_never_bank_more_than_the_limit) {
  gcra g;
  g.take(sixty_per_minute, 0);
  auto d = g.peek(sixty_per_minute, int64_t{1} << 40);
  EXPECT_EQ(d.remaining, 60u);
  int allowed = 0;
  while (g.take(sixty_per_minute, int64_t{1} << 40).allowed)
    ++allowed;
  EXPECT_EQ(allowed, 60);
}

TEST(gcra, a_clock_going_backwards_never_grants_more) {
  gcra g;
  for (int i = 0; i < 60; ++i)
    g.take(sixty_per_minute, 100000);
  EXPECT_FALSE(g.take(sixty_per_minute, 50000).allowed);
  EXPECT_FALSE(g.take(sixty_per_minute, 100500).allowed);
  EXPECT_TRUE(g.take(sixty_per_minute, 101000).allowed);
}

TEST(gcra, cost_above_one_spends_several) {
  gcra g;
  rate_policy p{10, 10000};
  auto d = g.take(p, 0, 7);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 3u);
  EXPECT_FALSE(g.take(p, 0, 4).allowed);
  EXPECT_TRUE(g.take(p, 0, 3).allowed);
}

TEST(gcra, large_limits_keep_exact_counts) {
  gcra g;
  rate_policy p{6000, 60000};
  for (int i = 0; i < 6000; ++i)
    ASSERT_TRUE(g.take(p, 0).allowed) << i;
  EXPECT_FALSE(g.take(p, 0).allowed);
}

TEST(ceil_seconds, rounds_up_and_clamps) {
  EXPECT_EQ(ceil_seconds(0), 0);
  EXPECT_EQ(ceil_seconds(-5), 0);
  EXPECT_EQ(ceil_seconds(1), 1);
  EXPECT_EQ(ceil_seconds(1000), 1);
  EXPECT_EQ(ceil_seconds(1001), 2);
}
