// Two haven processes on one stack, sharing one key folder: a token issued by
// one node works on the other, and a logout on one is refused by the other
// within 1 s (API.md section 3).
#include <thread>

#include "tests/integration/auth_test_support.hpp"

namespace haven::test::auth {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

TEST(AuthCluster, LogoutOnOneNodeIsRefusedByTheOtherWithinOneSecond) {
  stack s;
  auto keys = s.dir() + "/keys";
  auto env = auth_env(s, {{"HAVEN_JWT_KEY_DIR", keys}});
  haven_process a{env};
  ASSERT_TRUE(a.wait_until_ready()) << a.log_text();
  haven_process b{env};
  ASSERT_TRUE(b.wait_until_ready()) << b.log_text();
  for (int round = 0; round < 3; ++round) {
    auto acc = register_account(a.port());
    ASSERT_EQ(call(b.port(), "GET", "/v1/auth/me", {}, acc.access).status, 200); // cached on b now
    auto r = call(a.port(), "POST", "/v1/auth/logout", {}, acc.access);
    ASSERT_EQ(r.status, 204);
    auto logged_out = steady::now();
    int status = 200;
    while (steady::now() - logged_out < 1s) {
      status = call(b.port(), "GET", "/v1/auth/me", {}, acc.access).status;
      if (status == 401)
        break;
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(status, 401) << "node b still accepts the token 1 s after logout";
  }
}

// GET /v1/auth/me answers from a USER cache on each node's edge: a change on
// one node must reach that node's cache at once and the other's within 1 s.
TEST(AuthCluster, AProfileChangeReachesBothNodesCachedMeViews) {
  stack s;
  auto env = auth_env(s, {{"HAVEN_JWT_KEY_DIR", s.dir() + "/keys"}});
  haven_process a{env};
  ASSERT_TRUE(a.wait_until_ready()) << a.log_text();
  haven_process b{env};
  ASSERT_TRUE(b.wait_until_ready()) << b.log_text();
  for (int round = 0; round < 3; ++round) {
    auto acc = register_account(a.port(), {{"display_name", "Before"}});
    for (auto port : {a.port(), b.port()}) // both caches hold the old view now
      ASSERT_EQ(field(call(port, "GET", "/v1/auth/me", {}, acc.access), "/user/display_name"),
                "Before");
    auto name = "After " + std::to_string(round);
    auto r = call(a.port(), "PATCH", "/v1/users/me", obj({{"display_name", name}}), acc.access);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(call(a.port(), "GET", "/v1/auth/me", {}, acc.access), "/user/display_name"),
              name)
        << "the node that made the change served a stale view";
    auto changed = steady::now();
    std::string seen;
    while (steady::now() - changed < 1s) {
      seen = field(call(b.port(), "GET", "/v1/auth/me", {}, acc.access), "/user/display_name");
      if (seen == name)
        break;
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(seen, name) << "node b still serves the old view 1 s after the change";
  }
}

TEST(AuthCluster, ANodeStartedLaterLoadsRevocationsFromRedis) {
  stack s;
  auto env = auth_env(s, {{"HAVEN_JWT_KEY_DIR", s.dir() + "/keys"}});
  haven_process a{env};
  ASSERT_TRUE(a.wait_until_ready()) << a.log_text();
  auto acc = register_account(a.port());
  ASSERT_EQ(call(a.port(), "POST", "/v1/auth/logout", {}, acc.access).status, 204);
  haven_process late{env}; // missed the NATS message: reloads from Redis at start
  ASSERT_TRUE(late.wait_until_ready()) << late.log_text();
  int status = 200;
  auto start = steady::now();
  while (steady::now() - start < 10s && status != 401) {
    status = call(late.port(), "GET", "/v1/auth/me", {}, acc.access).status;
    if (status != 401)
      std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(status, 401);
}

} // namespace
} // namespace haven::test::auth
