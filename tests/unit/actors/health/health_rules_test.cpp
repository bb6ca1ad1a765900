#include "actors/health/health_rules.hpp"

#include <gtest/gtest.h>

using namespace haven;
using namespace haven::health;

namespace {

health_snapshot snap(bool pg, bool redis, bool nats) {
  health_snapshot s;
  s.probed = true;
  s.postgres.up = pg;
  s.redis.up = redis;
  s.nats.up = nats;
  return s;
}

} // namespace

TEST(health_rules, all_up_is_healthy) {
  EXPECT_EQ(overall_status(snap(true, true, true)), overall::healthy);
}

TEST(health_rules, redis_or_nats_down_is_degraded_with_200) {
  EXPECT_EQ(overall_status(snap(true, false, true)), overall::degraded);
  EXPECT_EQ(overall_status(snap(true, true, false)), overall::degraded);
  EXPECT_EQ(overall_status(snap(true, false, false)), overall::degraded);
}

TEST(health_rules, postgres_down_is_unhealthy_with_503) {
  EXPECT_EQ(overall_status(snap(false, true, true)), overall::unhealthy);
  EXPECT_EQ(overall_status(snap(false, false, false)), overall::unhealthy);
}

TEST(health_rules, nothing_probed_yet_is_unhealthy) {
  health_snapshot s = snap(true, true, true);
  s.probed = false;
  EXPECT_EQ(overall_status(s), overall::unhealthy);
}
