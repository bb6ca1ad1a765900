// API.md section 2 on the real binary: 5 requests per 10 s, so Retry-After
// (one interval: 2 s) can be waited for. X-Forwarded-For is trusted from
// 127.0.0.1 here, so each test has its own client address.
#include <chrono>
#include <thread>

#include "tests/integration/auth_test_support.hpp"
#include "tests/integration/support/metrics.hpp"
#include "tests/integration/support/poll.hpp"
#include "tests/integration/support/raw_nats.hpp"

namespace haven::test::auth {
namespace {

class RateLimit : public auth_suite {
 protected:
  static void SetUpTestSuite() {
    start({{"HAVEN_RATE_LIMIT_FREE", "5"},
           {"HAVEN_RATE_LIMIT_ANON", "5"},
           {"HAVEN_RATE_LIMIT_WINDOW_S", "10"},
           {"HAVEN_TRUSTED_PROXIES", "127.0.0.1"}});
  }
  static void TearDownTestSuite() { stop(); }

  static headers from(const std::string& addr) { return {{"X-Forwarded-For", addr}}; }
};

void expect_rate_headers(const http_response& r, const std::string& limit) {
  EXPECT_EQ(r.header_or_empty("x-ratelimit-limit"), limit) << r.status;
  EXPECT_TRUE(r.has_header("x-ratelimit-remaining"));
  EXPECT_TRUE(r.has_header("x-ratelimit-reset"));
  EXPECT_EQ(r.header_or_empty("ratelimit-policy"), limit + ";w=10");
  EXPECT_EQ(r.header_or_empty("ratelimit").rfind("limit=" + limit + ", remaining=", 0), 0u)
      << r.header_or_empty("ratelimit");
}

TEST_F(RateLimit, EveryLimitedResponseCarriesTheHeaders) {
  auto a = register_account(port());
  auto r = call(port(), "GET", "/v1/auth/me", {}, a.access);
  ASSERT_EQ(r.status, 200) << r.body;
  expect_rate_headers(r, "5");
  EXPECT_EQ(r.header_or_empty("x-ratelimit-remaining"), "4");
  EXPECT_EQ(r.header_or_empty("ratelimit"), "limit=5, remaining=4, reset=2");
  EXPECT_FALSE(r.has_header("x-ratelimit-degraded"));
  // A handler's own error still carries them (422 from PATCH /v1/users/me).
  auto bad = call(port(), "PATCH", "/v1/users/me", R"({"display_name": 5})", a.access);
  EXPECT_EQ(bad.status, 422);
  expect_rate_headers(bad, "5");
  EXPECT_EQ(bad.header_or_empty("x-ratelimit-remaining"), "3");
}

TEST_F(RateLimit, RefusesWith429AndAnHonestRetryAfter) {
  auto a = register_account(port());
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(call(port(), "GET", "/v1/auth/me", {}, a.access).status, 200) << i;
  auto r = call(port(), "GET", "/v1/auth/me", {}, a.access);
  ASSERT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(field(r, "/error/code"), "rate_limited");
  expect_rate_headers(r, "5");
  EXPECT_EQ(r.header_or_empty("x-ratelimit-remaining"), "0");
  auto retry = std::stoi(r.header_or_empty("retry-after"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 2); // one interval of 10 s / 5
  std::this_thread::sleep_for(std::chrono::seconds(retry));
  auto again = call(port(), "GET", "/v1/auth/me", {}, a.access);
  EXPECT_EQ(again.status, 200) << again.body;
}

TEST_F(RateLimit, RequestsWithoutAValidTokenCountByAddressAndStayUnauthorized) {
  auto addr = from("198.51.100.7");
  for (int i = 0; i < 3; ++i) {
    auto r = call(port(), "GET", "/v1/auth/me", {}, {}, addr);
    ASSERT_EQ(r.status, 401);
    expect_rate_headers(r, "5");
  }
  for (int i = 0; i < 2; ++i) // a bad token counts against the same address
    ASSERT_EQ(call(port(), "GET", "/v1/auth/me", {}, "not.a.token", addr).status, 401);
  auto r = call(port(), "GET", "/v1/auth/me", {}, {}, addr);
  EXPECT_EQ(r.status, 429);
  EXPECT_TRUE(r.has_header("retry-after"));
  // Another address is not affected.
  EXPECT_EQ(call(port(), "GET", "/v1/auth/me", {}, {}, from("198.51.100.8")).status, 401);
}

TEST_F(RateLimit, CredentialEndpointsAreNotLimitedByIt) {
  auto addr = from("198.51.100.20");
  for (int i = 0; i < 7; ++i) {
    auto r = call(port(), "POST", "/v1/auth/register",
                  obj({{"email", unique_email("cred")}, {"password", default_password}}), {}, addr);
    ASSERT_EQ(r.status, 201) << i << r.body;
    EXPECT_FALSE(r.has_header("x-ratelimit-limit"));
  }
  auto login =
      call(port(), "POST", "/v1/auth/login",
           obj({{"email", "nobody@example.org"}, {"password", "wrong password!"}}), {}, addr);
  EXPECT_EQ(login.status, 401);
  EXPECT_FALSE(login.has_header("x-ratelimit-limit"));
  EXPECT_FALSE(call(port(), "GET", "/health").has_header("x-ratelimit-limit"));
}

TEST_F(RateLimit, RateLimitRouteReportsTheCallersBudget) {
  auto a = register_account(port());
  auto r = call(port(), "GET", "/v1/auth/rate-limit", {}, a.access);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/tier"), "free");
  EXPECT_EQ(field(r, "/limit"), "5");
  EXPECT_EQ(field(r, "/remaining"), "4"); // this request counted
  EXPECT_EQ(field(r, "/window_s"), "10");
  EXPECT_EQ(field(r, "/reset_s"), "2");
  expect_rate_headers(r, "5");
  auto anon = call(port(), "GET", "/v1/auth/rate-limit", {}, {}, from("198.51.100.30"));
  EXPECT_EQ(anon.status, 401);
  expect_rate_headers(anon, "5");
}

TEST_F(RateLimit, MetricsCountDecisionsPerTier) {
  auto a = register_account(port());
  for (int i = 0; i < 6; ++i)
    call(port(), "GET", "/v1/auth/me", {}, a.access);
  auto m = call(port(), "GET", "/metrics").body;
  EXPECT_NE(m.find("haven_rate_limit_refusals_total{tier=\"free\"}"), std::string::npos) << m;
  EXPECT_NE(m.find("haven_rate_limit_near_limit_total{tier=\"free\"}"), std::string::npos);
  EXPECT_NE(m.find("haven_rate_limit_degraded 0"), std::string::npos);
  EXPECT_EQ(m.find("haven_rate_limit_refusals_total{tier=\"free\"} 0\n"), std::string::npos);
}

// Audit M6: heartbeats under made-up node names (anyone who may publish on
// <prefix>.cluster.) cannot grow the membership table without bound, which
// would also shrink each node's share of a limit when Redis is down.
TEST_F(RateLimit, ForgedHeartbeatsAreBounded) {
  raw_nats nats{stack_->nats_url()};
  for (int i = 0; i < 2000; ++i) {
    auto name = "forged-node-" + std::to_string(i);
    natsConnection_PublishString(nats.get(), "haven.cluster.heartbeat", name.c_str());
  }
  natsConnection_Flush(nats.get());
  // The table fills to its bound (256 names plus this node) and stops there.
  EXPECT_TRUE(eventually([&] { return metric(port(), "haven_rate_limit_live_nodes") >= 200; }, 5s));
  std::this_thread::sleep_for(1500ms);
  EXPECT_LE(metric(port(), "haven_rate_limit_live_nodes"), 257);
}

} // namespace
} // namespace haven::test::auth
