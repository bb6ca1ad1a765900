// The store probes against a real stack (scripts/dev) and against servers that
// are down, hung (SIGSTOP) or silent. Time bounds are generous on purpose:
// they prove "returns, does not hang", not speed.
#include <chrono>
#include <exception>
#include <string>
#include <thread>
#include <utility>

#include <gtest/gtest.h>

#include "io/nats/nats_probe.hpp"
#include "persistence/pg/pg_probe.hpp"
#include "persistence/redis/redis_probe.hpp"
#include "tests/integration/support/poll.hpp"
#include "tests/integration/support/stack_test.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using haven::probe_result;

constexpr auto timeout = 1000ms;
constexpr auto slack = 200ms;       // a refused or closed connection answers at once
constexpr auto hang_slack = 1500ms; // a hung server costs the whole timeout; the box may be busy

template <class Probe>
std::pair<probe_result, std::chrono::milliseconds> timed_ping(Probe& p) {
  const auto start = clock_type::now();
  auto r = p.ping(timeout);
  return {r, std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start)};
}

// Pings until the result is `want` or `limit` passes; every single call must
// still return in time.
template <class Probe>
bool poll_until(Probe& p, bool want, std::chrono::milliseconds limit,
                std::chrono::milliseconds per_call = timeout + hang_slack) {
  return haven::test::eventually(
      [&] {
        auto [r, took] = timed_ping(p);
        EXPECT_LT(took, per_call) << r.error;
        return r.up == want;
      },
      limit, 100ms);
}

std::string pg_url(uint16_t port, const std::string& user = "postgres") {
  return "postgresql://" + user + "@127.0.0.1:" + std::to_string(port) + "/haven";
}

std::string nats_url(uint16_t port) {
  return "nats://127.0.0.1:" + std::to_string(port);
}

class Probes : public haven::test::stack_test {
 protected:
  // Up; down at once while `service` is stopped; up again within 10 s of its start.
  template <class Probe>
  void stopped_then_recovers(Probe& p, const std::string& service) {
    ASSERT_TRUE(p.ping(timeout).up);
    stack_->stop(service);
    auto [r, took] = timed_ping(p);
    EXPECT_FALSE(r.up);
    EXPECT_FALSE(r.error.empty());
    EXPECT_LT(took, timeout + slack);
    stack_->start(service);
    EXPECT_TRUE(poll_until(p, true, 10s));
  }

  // Up; down within the timeout while `service` hangs; up again within 10 s of the thaw.
  template <class Probe>
  void hung_then_recovers(Probe& p, const std::string& service) {
    ASSERT_TRUE(p.ping(timeout).up);
    stack_->freeze(service);
    auto [r, took] = timed_ping(p);
    EXPECT_FALSE(r.up);
    EXPECT_LT(took, timeout + hang_slack);
    stack_->thaw(service);
    EXPECT_TRUE(poll_until(p, true, 10s));
  }
};

TEST_F(Probes, PostgresUp) {
  haven::pg_probe p{stack_->pg_url()};
  for (int i = 0; i < 2; ++i) { // connect + query, then the kept connection
    auto r = p.ping(timeout);
    EXPECT_TRUE(r.up) << r.error;
    EXPECT_TRUE(r.error.empty());
    EXPECT_GT(r.latency_ms, 0);
  }
}

TEST_F(Probes, RedisUp) {
  haven::redis_probe p{"127.0.0.1", stack_->redis_port(), 0};
  for (int i = 0; i < 2; ++i) {
    auto r = p.ping(timeout);
    EXPECT_TRUE(r.up) << r.error;
    EXPECT_TRUE(r.error.empty());
    EXPECT_GT(r.latency_ms, 0);
  }
}

TEST_F(Probes, NatsUp) {
  haven::nats_probe p{{stack_->nats_url()}};
  auto r = p.ping(timeout); // the first connect is synchronous when the server is up
  EXPECT_TRUE(r.up) << r.error;
  EXPECT_TRUE(r.error.empty());
  EXPECT_GT(r.latency_ms, 0);
}

TEST_F(Probes, PostgresDownAfterStopThenRecovers) {
  haven::pg_probe p{stack_->pg_url()};
  stopped_then_recovers(p, "postgres");
}

TEST_F(Probes, RedisDownAfterStopThenRecovers) {
  haven::redis_probe p{"127.0.0.1", stack_->redis_port(), 0};
  stopped_then_recovers(p, "redis");
}

TEST_F(Probes, NatsDownAfterStopThenReconnects) {
  haven::nats_probe p{{stack_->nats_url()}};
  ASSERT_TRUE(p.ping(timeout).up);
  stack_->stop("nats");
  // libnats notices the closed socket on its own thread: poll briefly.
  EXPECT_TRUE(poll_until(p, false, 5s, timeout + slack));
  stack_->start("nats");
  EXPECT_TRUE(poll_until(p, true, 10s)); // reconnects by itself
}

TEST_F(Probes, PostgresHungServer) {
  haven::pg_probe p{stack_->pg_url()};
  hung_then_recovers(p, "postgres");
}

TEST_F(Probes, RedisHungServer) {
  haven::redis_probe p{"127.0.0.1", stack_->redis_port(), 0};
  hung_then_recovers(p, "redis");
}

TEST_F(Probes, NatsHungServer) {
  haven::nats_probe p{{stack_->nats_url()}};
  hung_then_recovers(p, "nats");
}

TEST(ProbesNoServer, NobodyListens) {
  const auto port = haven::test::free_ports(1)[0];
  haven::pg_probe pg{pg_url(port)};
  haven::redis_probe redis{"127.0.0.1", port, 0};
  for (int i = 0; i < 2; ++i) { // the second call retries a fresh connect
    auto [r1, t1] = timed_ping(pg);
    EXPECT_FALSE(r1.up);
    EXPECT_FALSE(r1.error.empty());
    EXPECT_LT(t1, timeout + slack);
    auto [r2, t2] = timed_ping(redis);
    EXPECT_FALSE(r2.up);
    EXPECT_FALSE(r2.error.empty());
    EXPECT_LT(t2, timeout + slack);
  }
  const auto start = clock_type::now();
  {
    haven::nats_probe nats{{nats_url(port)}}; // must not fail nor wait for a server
    EXPECT_LT(clock_type::now() - start, 5s);
    auto [r, took] = timed_ping(nats);
    EXPECT_FALSE(r.up);
    EXPECT_FALSE(r.error.empty());
    EXPECT_LT(took, timeout + slack);
  } // the destructor stops the background reconnects
  EXPECT_LT(clock_type::now() - start, 10s);
}

TEST(ProbesNoServer, SilentServer) {
  haven::test::black_hole hole;
  haven::pg_probe pg{pg_url(hole.port())};
  auto [r1, t1] = timed_ping(pg);
  EXPECT_FALSE(r1.up);
  EXPECT_LT(t1, timeout + hang_slack);
  haven::redis_probe redis{"127.0.0.1", hole.port(), 0};
  auto [r2, t2] = timed_ping(redis);
  EXPECT_FALSE(r2.up);
  EXPECT_LT(t2, timeout + hang_slack);
  const auto start = clock_type::now();
  {
    // The first connect waits for the server's INFO up to the connect timeout.
    haven::nats_probe nats{{nats_url(hole.port())}};
    auto [r3, t3] = timed_ping(nats);
    EXPECT_FALSE(r3.up);
    EXPECT_LT(t3, timeout + hang_slack);
  }
  EXPECT_LT(clock_type::now() - start, 10s);
}

TEST(ProbesNoServer, PostgresErrorsNeverShowThePassword) {
  const auto port = haven::test::free_ports(1)[0];
  haven::pg_probe refused{pg_url(port, "postgres:s3cret-pw")};
  auto r = refused.ping(timeout);
  EXPECT_FALSE(r.up);
  EXPECT_EQ(r.error.find("s3cret-pw"), std::string::npos) << r.error;
  haven::pg_probe invalid{"host=127.0.0.1 password=s3cret-pw port"};
  r = invalid.ping(timeout);
  EXPECT_FALSE(r.up);
  EXPECT_EQ(r.error, "invalid connection string");
}

} // namespace
