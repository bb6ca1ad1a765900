// Three haven processes, one Redis, one NATS (API.md section 2: "the limit
// holds for the whole cluster"): one user, 100 requests per 60 s, requests
// spread round-robin over the nodes as fast as one client can send them.
#include <array>
#include <chrono>
#include <memory>
#include <thread>

#include "tests/integration/auth_test_support.hpp"

namespace haven::test::auth {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

struct tally {
  int ok = 0, limited = 0, server_errors = 0, other = 0, degraded_marked = 0;
};

/// A gauge or counter without labels from /metrics, or -1.
double metric(uint16_t port, const std::string& name) {
  auto body = call(port, "GET", "/metrics").body;
  auto at = body.find("\n" + name + " ");
  if (at == std::string::npos)
    return -1;
  return std::stod(body.substr(at + name.size() + 2));
}

bool wait_for_metric(const std::vector<uint16_t>& ports, const std::string& name, double value,
                     std::chrono::milliseconds timeout) {
  auto until = steady::now() + timeout;
  while (steady::now() < until) {
    bool all = true;
    for (auto p : ports)
      all = all && metric(p, name) == value;
    if (all)
      return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

/// `n` GET /v1/auth/me round-robin over keep-alive connections to `ports`;
/// `midway` runs once after `midway_at` requests.
tally hammer(const std::vector<uint16_t>& ports, const std::string& token, int n,
             int midway_at = -1, const std::function<void()>& midway = {}) {
  std::vector<std::unique_ptr<http_connection>> conns;
  for (auto p : ports)
    conns.push_back(std::make_unique<http_connection>(p));
  auto req = make_request("GET", "/v1/auth/me", {{"Authorization", "Bearer " + token}});
  tally t;
  for (int i = 0; i < n; ++i) {
    if (i == midway_at && midway)
      midway();
    auto& c = conns[i % conns.size()];
    http_response r;
    if (!c->try_send(req) || c->try_read_response(r, 10s) != read_status::ok) {
      c = std::make_unique<http_connection>(ports[i % ports.size()]); // reconnect, count as error
      ++t.other;
      continue;
    }
    if (r.status == 200)
      ++t.ok;
    else if (r.status == 429)
      ++t.limited;
    else if (r.status >= 500)
      ++t.server_errors;
    else
      ++t.other;
    t.degraded_marked += r.has_header("x-ratelimit-degraded");
    if (r.connection_close())
      c = std::make_unique<http_connection>(ports[i % ports.size()]);
  }
  return t;
}

TEST(RateLimitCluster, OneBudgetForThreeNodesAlsoThroughARedisOutage) {
  stack s;
  auto env = auth_env(s, {{"HAVEN_JWT_KEY_DIR", s.dir() + "/keys"},
                          {"HAVEN_RATE_LIMIT_FREE", "100"},
                          {"HAVEN_RATE_LIMIT_WINDOW_S", "60"},
                          {"HAVEN_LOG_LEVEL", "info"}});
  std::vector<std::unique_ptr<haven_process>> nodes;
  std::vector<uint16_t> ports;
  for (int i = 0; i < 3; ++i) {
    nodes.push_back(std::make_unique<haven_process>(env));
    ASSERT_TRUE(nodes.back()->wait_until_ready()) << nodes.back()->log_text();
    ports.push_back(nodes.back()->port());
  }
  ASSERT_TRUE(wait_for_metric(ports, "haven_rate_limit_live_nodes", 3, 10s));

  // 1. Redis up: the cluster admits the limit, give or take 5.
  auto first = register_account(ports[0]);
  auto t1 = hammer(ports, first.access, 400);
  EXPECT_EQ(t1.server_errors, 0);
  EXPECT_EQ(t1.other, 0);
  EXPECT_GE(t1.ok, 95);
  EXPECT_LE(t1.ok, 105);
  EXPECT_EQ(t1.ok + t1.limited, 400);

  // 2. Redis stopped during the load: nodes fall back to limit / 3 each,
  // seeded from what they last saw; no 5xx, and the total stays bounded.
  auto second = register_account(ports[1]);
  auto t2 = hammer(ports, second.access, 400, 30, [&] { s.stop("redis"); });
  EXPECT_EQ(t2.server_errors, 0);
  EXPECT_EQ(t2.other, 0);
  EXPECT_GT(t2.degraded_marked, 0);
  EXPECT_GE(t2.ok, 30);
  // The degraded bound (docs/rate_limiting.md): the limit, plus what other nodes
  // were granted after a node's last Redis answer, (n - 1) x L with leases
  // L <= 10, plus refill while the test runs (one per 1.8 s per node).
  EXPECT_LE(t2.ok, 100 + 2 * 10 + 3);
  // /metrics is rendered at most once per second: wait for a fresh page.
  EXPECT_TRUE(wait_for_metric(ports, "haven_rate_limit_degraded", 1, 5s));

  // 3. Redis back: shared budgets resume, accuracy returns.
  s.start("redis");
  ASSERT_TRUE(wait_for_metric(ports, "haven_rate_limit_degraded", 0, 15s));
  auto third = register_account(ports[2]);
  auto t3 = hammer(ports, third.access, 400);
  EXPECT_EQ(t3.server_errors, 0);
  EXPECT_GE(t3.ok, 95);
  EXPECT_LE(t3.ok, 105);
  EXPECT_EQ(t3.degraded_marked, 0);
  std::cout << "accepted: redis up " << t1.ok << ", redis stopped " << t2.ok << " (degraded marks "
            << t2.degraded_marked << "), redis back " << t3.ok << "\n";
}

} // namespace
} // namespace haven::test::auth
