// The credential throttles of API.md section 3 on the real binary, with small
// limits so the test stays short.
#include "tests/integration/auth_test_support.hpp"

namespace haven::test::auth {
namespace {

class AuthThrottle : public auth_suite {
 protected:
  static void SetUpTestSuite() {
    start({{"HAVEN_LOGIN_MAX_FAILURES_ACCOUNT", "3"}, {"HAVEN_AUTH_ADDR_LIMIT", "8"}});
  }
  static void TearDownTestSuite() { stop(); }
};

void expect_retry_after(const http_response& r) {
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(field(r, "/error/code"), "rate_limited");
  auto ra = r.header_or_empty("retry-after");
  ASSERT_FALSE(ra.empty());
  auto s = std::stoi(ra);
  EXPECT_GE(s, 1);
  EXPECT_LE(s, 900);
}

TEST_F(AuthThrottle, AccountLocksAfterFailuresEvenForTheRightPassword) {
  auto a = register_account(port(), {{"email", unique_email("lock")}});
  auto other = register_account(port(), {{"email", unique_email("free")}});
  auto wrong = obj({{"email", a.email}, {"password", "wrong password!"}});
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(call(port(), "POST", "/v1/auth/login", wrong).status, 401);
  expect_retry_after(call(port(), "POST", "/v1/auth/login", wrong));
  expect_retry_after(
      call(port(), "POST", "/v1/auth/login", obj({{"email", a.email}, {"password", a.password}})));
  // Another account from the same address is not locked.
  EXPECT_EQ(call(port(), "POST", "/v1/auth/login",
                 obj({{"email", other.email}, {"password", other.password}}))
                .status,
            200);
}

TEST_F(AuthThrottle, SuccessResetsTheAccountCount) {
  auto a = register_account(port(), {{"email", unique_email("reset")}});
  auto wrong = obj({{"email", a.email}, {"password", "wrong password!"}});
  auto right = obj({{"email", a.email}, {"password", a.password}});
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(call(port(), "POST", "/v1/auth/login", wrong).status, 401);
    EXPECT_EQ(call(port(), "POST", "/v1/auth/login", wrong).status, 401);
    EXPECT_EQ(call(port(), "POST", "/v1/auth/login", right).status, 200);
  }
}

TEST_F(AuthThrottle, RegisterAndResetArePerAddress) {
  // The suite already registered a few accounts from this address; keep going
  // until refused (at most the limit of 8 per window).
  int created = 0;
  http_response r;
  for (int i = 0; i < 12; ++i) {
    r = call(port(), "POST", "/v1/auth/register", obj({{"password", default_password}}));
    if (r.status != 201)
      break;
    ++created;
  }
  EXPECT_LE(created, 8);
  expect_retry_after(r);
  int accepted = 0;
  for (int i = 0; i < 12; ++i) {
    r = call(port(), "POST", "/v1/auth/password-reset/request",
             obj({{"email", unique_email("x")}}));
    if (r.status != 202)
      break;
    ++accepted;
  }
  EXPECT_EQ(accepted, 8);
  expect_retry_after(r);
}

} // namespace
} // namespace haven::test::auth
