#include <gtest/gtest.h>

#include "persistence/pg/circuit_breaker.hpp"

namespace {

using namespace std::chrono_literals;
using haven::pg::circuit_breaker;
using tp = circuit_breaker::clock::time_point;

const tp t0 = tp{} + 1000s; // an arbitrary injected "now"

TEST(PgCircuitBreaker, ClosedAllowsEveryConnect) {
  circuit_breaker b{1s};
  EXPECT_FALSE(b.open(t0));
  EXPECT_TRUE(b.try_connect(t0));
  EXPECT_TRUE(b.try_connect(t0)); // closed: no trial limit
}

TEST(PgCircuitBreaker, OpensForOneSecondAfterAFailedConnect) {
  circuit_breaker b{1s};
  b.record_failure(t0);
  EXPECT_TRUE(b.open(t0));
  EXPECT_TRUE(b.open(t0 + 999ms));
  EXPECT_FALSE(b.try_connect(t0 + 500ms));
  EXPECT_FALSE(b.open(t0 + 1s));
}

TEST(PgCircuitBreaker, HalfOpenLetsOneTrialThrough) {
  circuit_breaker b{1s};
  b.record_failure(t0);
  EXPECT_TRUE(b.try_connect(t0 + 1s));
  EXPECT_FALSE(b.try_connect(t0 + 1s)); // one trial at a time
  EXPECT_TRUE(b.open(t0 + 1s));         // others fail fast while it runs
  EXPECT_FALSE(b.try_connect(t0 + 5s));
}

TEST(PgCircuitBreaker, TrialOutcomeClosesOrReopens) {
  circuit_breaker b{1s};
  b.record_failure(t0);
  ASSERT_TRUE(b.try_connect(t0 + 1s));
  b.record_failure(t0 + 1100ms); // still down: open again, counted from now
  EXPECT_TRUE(b.open(t0 + 2s));
  EXPECT_FALSE(b.try_connect(t0 + 2s));
  ASSERT_TRUE(b.try_connect(t0 + 2100ms));
  b.record_success();
  EXPECT_FALSE(b.open(t0 + 2100ms));
  EXPECT_TRUE(b.try_connect(t0 + 2100ms));
  EXPECT_TRUE(b.try_connect(t0 + 2100ms));
}

} // namespace
