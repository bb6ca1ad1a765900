// Refresh families (issue 12, H2 and L5) on the real binary: every session has
// a family row with an absolute end (HAVEN_SESSION_MAX_AGE_S) that no token
// outlives and no refresh extends; a family past its end refreshes no more.
#include "tests/integration/auth_test_support.hpp"
#include "tests/integration/pg_test_support.hpp"

namespace haven::test::auth {
namespace {

class AuthFamily : public auth_suite {
 protected:
  static void SetUpTestSuite() { start({{"HAVEN_SESSION_MAX_AGE_S", "600"}}); }
  static void TearDownTestSuite() { stop(); }
  static std::string one_value(const std::string& sql) {
    auto rows = haven::test::query(stack_->pg_url(), sql);
    return rows.empty() || rows[0].empty() ? "<none>" : rows[0][0];
  }
};

TEST_F(AuthFamily, TokensNeverOutliveTheirFamilyAndTheFamilyEndIsAbsolute) {
  auto a = register_account(port());
  auto fam = "(SELECT family_id FROM refresh_tokens WHERE user_id = '" + a.id + "' LIMIT 1)";
  auto end_before = one_value("SELECT expires_at FROM refresh_families WHERE id = " + fam);
  // 600 s from the login, not the 7-day refresh TTL.
  EXPECT_EQ(one_value("SELECT expires_at <= now() + interval '600 seconds' FROM "
                      "refresh_families WHERE id = " +
                      fam),
            "t");
  auto token = a.refresh;
  for (int i = 0; i < 3; ++i) {
    auto r = call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", token}}));
    ASSERT_EQ(r.status, 200) << r.body;
    token = field(r, "/refresh_token");
  }
  EXPECT_EQ(one_value("SELECT expires_at FROM refresh_families WHERE id = " + fam), end_before)
      << "a refresh moved the family's end";
  EXPECT_EQ(one_value("SELECT bool_and(t.expires_at <= f.expires_at) FROM refresh_tokens t "
                      "JOIN refresh_families f ON f.id = t.family_id WHERE t.user_id = '" +
                      a.id + "'"),
            "t");
  // The family's end passes: its newest token refreshes no more.
  haven::test::query(stack_->pg_url(),
                     "UPDATE refresh_families SET expires_at = now() - interval '1 second' "
                     "WHERE id = " +
                         fam);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", token}})).status, 401);
}

TEST_F(AuthFamily, ARevokedFamilyRowAloneStopsItsTokens) {
  // The family row decides, whatever the token rows say.
  auto a = register_account(port());
  haven::test::query(stack_->pg_url(),
                     "UPDATE refresh_families SET revoked_at = now() WHERE user_id = '" + a.id +
                         "'");
  EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", a.refresh}})).status,
            401);
}

} // namespace
} // namespace haven::test::auth
