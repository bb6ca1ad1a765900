// M5 on the real binary: failed refreshes and failed reset confirmations
// count toward the per-address failure limit of logins
// (HAVEN_LOGIN_MAX_FAILURES_ADDR), and a locked address is refused on all
// three before any lookup. Before issue 12 neither route had a throttle.
#include "tests/integration/auth_test_support.hpp"

namespace haven::test::auth {
namespace {

class AuthAddrThrottle : public auth_suite {
 protected:
  static void SetUpTestSuite() {
    start({{"HAVEN_LOGIN_MAX_FAILURES_ADDR", "6"}, {"HAVEN_TRUSTED_PROXIES", "127.0.0.1"}});
  }
  static void TearDownTestSuite() { stop(); }
  static headers from(const std::string& addr) { return {{"X-Forwarded-For", addr}}; }
};

TEST_F(AuthAddrThrottle, FailedRefreshesAndConfirmsShareTheLoginAddressLimit) {
  auto who = from("203.0.113.7");
  auto bad_refresh = obj({{"refresh_token", std::string(43, 'A')}});
  auto bad_confirm = obj({{"token", std::string(43, 'B')}, {"new_password", "a new password 1"}});
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", bad_refresh, {}, who).status, 401);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(call(port(), "POST", "/v1/auth/password-reset/confirm", bad_confirm, {}, who).status,
              401);
  // Six failures: the address is locked for refreshes, confirmations and logins.
  auto r = call(port(), "POST", "/v1/auth/refresh", bad_refresh, {}, who);
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header_or_empty("retry-after").empty());
  EXPECT_EQ(call(port(), "POST", "/v1/auth/password-reset/confirm", bad_confirm, {}, who).status,
            429);
  auto a = register_account(port(), {{"email", unique_email("addr")}});
  EXPECT_EQ(call(port(), "POST", "/v1/auth/login",
                 obj({{"email", a.email}, {"password", a.password}}), {}, who)
                .status,
            429);
  // A valid refresh token from that address is refused too; from another it works.
  EXPECT_EQ(
      call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", a.refresh}}), {}, who).status,
      429);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", a.refresh}}), {},
                 from("203.0.113.8"))
                .status,
            200);
}

TEST_F(AuthAddrThrottle, SuccessfulLoginsAndRefreshesCostTheAddressNothing) {
  auto who = from("203.0.113.9");
  auto a = register_account(port(), {{"email", unique_email("fine")}});
  auto token = a.refresh;
  for (int i = 0; i < 10; ++i) {
    auto r = call(port(), "POST", "/v1/auth/login",
                  obj({{"email", a.email}, {"password", a.password}}), {}, who);
    ASSERT_EQ(r.status, 200) << "login " << i;
    auto f = call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", token}}), {}, who);
    ASSERT_EQ(f.status, 200) << "refresh " << i;
    token = field(f, "/refresh_token");
  }
}

} // namespace
} // namespace haven::test::auth
