// The reconnect schedule: doubling from the base, capped, jitter on top.

#include <gtest/gtest.h>

#include "base/backoff.hpp"

namespace haven {
namespace {

using std::chrono::milliseconds;

TEST(nats_backoff, doubles_then_caps_without_jitter) {
  backoff_policy p{milliseconds(100), milliseconds(2000), 0.25};
  const int64_t want[] = {100, 200, 400, 800, 1600, 2000, 2000};
  for (int i = 0; i < 7; ++i)
    EXPECT_EQ(backoff_delay(p, i + 1, 0.0).count(), want[i]) << "attempt " << i + 1;
  EXPECT_EQ(backoff_delay(p, 1000000, 0.0).count(), 2000); // no overflow on huge attempts
  EXPECT_EQ(backoff_delay(p, 0, 0.0).count(), 100);        // below 1 counts as 1
  EXPECT_EQ(backoff_delay(p, -5, 0.0).count(), 100);
}

TEST(nats_backoff, jitter_adds_up_to_the_fraction) {
  backoff_policy p{milliseconds(100), milliseconds(2000), 0.25};
  EXPECT_EQ(backoff_delay(p, 1, 0.5).count(), 112);
  EXPECT_EQ(backoff_delay(p, 6, 0.5).count(), 2250);
  EXPECT_LT(backoff_delay(p, 6, 1.0).count(), 2500); // unit clamped below 1
  EXPECT_EQ(backoff_delay(p, 6, -3.0).count(), 2000);
  // Different random draws spread a fleet out.
  EXPECT_NE(backoff_delay(p, 4, 0.1), backoff_delay(p, 4, 0.9));
}

TEST(nats_backoff, degenerate_policies) {
  EXPECT_EQ(backoff_delay({milliseconds(0), milliseconds(0), 0.5}, 3, 0.5).count(), 0);
  EXPECT_EQ(backoff_delay({milliseconds(500), milliseconds(100), 0.0}, 1, 0.0).count(), 100);
  EXPECT_EQ(backoff_delay({milliseconds(0), milliseconds(1000), 0.0}, 5, 0.0).count(), 0);
  EXPECT_EQ(backoff_delay({milliseconds(3), milliseconds(1000), 0.0}, 5, 0.0).count(), 48);
}

} // namespace
} // namespace haven
