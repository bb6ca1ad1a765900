// The Redis circuit breaker's transitions, with time driven by hand.
#include <chrono>

#include <gtest/gtest.h>

#include "persistence/redis/circuit_breaker.hpp"

namespace {

using namespace std::chrono_literals;
using haven::redis::circuit_breaker;

const circuit_breaker::time_point t0 = circuit_breaker::clock::now();

TEST(RedisCircuitBreaker, StartsClosed) {
  circuit_breaker b;
  EXPECT_FALSE(b.is_open());
  EXPECT_TRUE(b.allow());
  EXPECT_FALSE(b.probe_due(t0));
}

TEST(RedisCircuitBreaker, OneFailureOpensByDefaultAndProbesAtOnce) {
  circuit_breaker b;
  EXPECT_TRUE(b.on_failure(t0));
  EXPECT_TRUE(b.is_open());
  EXPECT_FALSE(b.allow());
  EXPECT_EQ(b.opened_at(), t0);
  EXPECT_TRUE(b.probe_due(t0)); // the first probe needs no wait
}

TEST(RedisCircuitBreaker, OpensAfterNConsecutiveFailuresOnly) {
  circuit_breaker b{{3, 250ms}};
  EXPECT_FALSE(b.on_failure(t0));
  EXPECT_FALSE(b.on_failure(t0));
  b.on_success(); // breaks the streak
  EXPECT_FALSE(b.on_failure(t0));
  EXPECT_FALSE(b.on_failure(t0));
  EXPECT_FALSE(b.is_open());
  EXPECT_TRUE(b.on_failure(t0 + 1ms));
  EXPECT_TRUE(b.is_open());
  EXPECT_FALSE(b.on_failure(t0 + 2ms)); // already open: reported once
}

TEST(RedisCircuitBreaker, ZeroThresholdMeansOne) {
  circuit_breaker b{{0, 250ms}};
  EXPECT_TRUE(b.on_failure(t0));
}

TEST(RedisCircuitBreaker, OneProbeAtATimeAtMostEveryInterval) {
  circuit_breaker b{{1, 250ms}};
  b.on_failure(t0);
  b.probe_started(t0);
  EXPECT_TRUE(b.probe_in_flight());
  EXPECT_FALSE(b.probe_due(t0 + 1s)); // still in flight
  EXPECT_FALSE(b.on_probe_result(false, t0 + 1ms));
  EXPECT_TRUE(b.is_open());
  EXPECT_FALSE(b.probe_due(t0 + 200ms));
  EXPECT_EQ(b.next_probe_at(), t0 + 251ms);
  EXPECT_TRUE(b.probe_due(t0 + 251ms));
}

TEST(RedisCircuitBreaker, HungProbeIsFollowedByAPause) {
  circuit_breaker b{{1, 250ms}};
  b.on_failure(t0);
  b.probe_started(t0);
  b.on_probe_result(false, t0 + 2s); // waited its whole timeout
  EXPECT_FALSE(b.probe_due(t0 + 2s));
  EXPECT_TRUE(b.probe_due(t0 + 2s + 250ms));
}

TEST(RedisCircuitBreaker, SuccessfulProbeCloses) {
  circuit_breaker b{{2, 250ms}};
  b.on_failure(t0);
  b.on_failure(t0);
  b.probe_started(t0);
  EXPECT_TRUE(b.on_probe_result(true, t0 + 1ms));
  EXPECT_FALSE(b.is_open());
  EXPECT_TRUE(b.allow());
  EXPECT_EQ(b.consecutive_failures(), 0u);
  EXPECT_FALSE(b.on_failure(t0 + 2ms)); // the streak starts over
  EXPECT_TRUE(b.on_failure(t0 + 3ms));
}

TEST(RedisCircuitBreaker, LateSuccessOfAnOldCallDoesNotClose) {
  circuit_breaker b;
  b.on_failure(t0);
  b.on_success(); // sent before the outage, answered after it was seen
  EXPECT_TRUE(b.is_open());
}

TEST(RedisCircuitBreaker, ProbeResultWhileClosedIsIgnored) {
  circuit_breaker b;
  EXPECT_FALSE(b.on_probe_result(true, t0));
  EXPECT_FALSE(b.on_probe_result(false, t0));
  EXPECT_FALSE(b.is_open());
}

TEST(RedisCircuitBreaker, ReopensAfterClosing) {
  circuit_breaker b;
  b.on_failure(t0);
  b.probe_started(t0);
  b.on_probe_result(true, t0 + 1ms);
  EXPECT_TRUE(b.on_failure(t0 + 5s));
  EXPECT_EQ(b.opened_at(), t0 + 5s);
  EXPECT_TRUE(b.probe_due(t0 + 5s));
}

} // namespace
