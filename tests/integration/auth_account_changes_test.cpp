// Issue 12 items 3 and 4 on the real binary: replacing an email needs the
// current password (M4), email/password changes and resets cancel outstanding
// reset tokens and reset mails are capped per account (L1), and a demoted
// staff member stops reading staff lists at once (L2).
#include <thread>

#include "tests/integration/auth_test_support.hpp"
#include "tests/integration/support/raw_nats.hpp"

namespace haven::test::auth {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

class AuthAccountChanges : public auth_suite {
 protected:
  static std::string reset_token(natsSubscription* notify, uint16_t port,
                                 const std::string& email) {
    auto r = call(port, "POST", "/v1/auth/password-reset/request", obj({{"email", email}}));
    EXPECT_EQ(r.status, 202);
    auto msg = raw_nats::next(notify, 10s);
    EXPECT_TRUE(msg) << "no reset message";
    return msg ? field(msg->data, "/token") : std::string{};
  }
};

TEST_F(AuthAccountChanges, ReplacingAnEmailNeedsTheCurrentPassword) {
  auto a = register_account(port(), {{"email", unique_email("mail")}});
  auto next = unique_email("moved");
  auto missing = call(port(), "PATCH", "/v1/users/me", obj({{"email", next}}), a.access);
  EXPECT_EQ(missing.status, 422) << missing.body;
  EXPECT_NE(missing.body.find("current_password"), std::string::npos);
  EXPECT_EQ(call(port(), "PATCH", "/v1/users/me",
                 obj({{"email", next}, {"current_password", "not my password"}}), a.access)
                .status,
            401);
  auto ok = call(port(), "PATCH", "/v1/users/me",
                 obj({{"email", next}, {"current_password", a.password}}), a.access);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(field(ok, "/user/email"), next);
  // Adding the first email to an anonymous account needs nothing more.
  auto anon = register_account(port());
  auto up =
      call(port(), "PATCH", "/v1/users/me", obj({{"email", unique_email("up")}}), anon.access);
  EXPECT_EQ(up.status, 200) << up.body;
}

TEST_F(AuthAccountChanges, ChangesAndResetsCancelOutstandingResetTokens) {
  raw_nats nats{stack_->nats_url()};
  auto* notify = nats.subscribe("haven.notify.auth.password_reset");
  // An email change cancels them.
  auto a = register_account(port(), {{"email", unique_email("cancel")}});
  auto t1 = reset_token(notify, port(), a.email);
  ASSERT_EQ(call(port(), "PATCH", "/v1/users/me",
                 obj({{"email", unique_email("cancel2")}, {"current_password", a.password}}),
                 a.access)
                .status,
            200);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/password-reset/confirm",
                 obj({{"token", t1}, {"new_password", "another password 1"}}))
                .status,
            401);
  // A password change cancels them.
  auto b = register_account(port(), {{"email", unique_email("cancel")}});
  auto t2 = reset_token(notify, port(), b.email);
  ASSERT_EQ(call(port(), "PATCH", "/v1/users/me",
                 obj({{"password", "another password 2"}, {"current_password", b.password}}),
                 b.access)
                .status,
            200);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/password-reset/confirm",
                 obj({{"token", t2}, {"new_password", "another password 3"}}))
                .status,
            401);
  // A reset cancels the other tokens of the account.
  auto c = register_account(port(), {{"email", unique_email("cancel")}});
  auto t3 = reset_token(notify, port(), c.email);
  auto t4 = reset_token(notify, port(), c.email);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/password-reset/confirm",
                 obj({{"token", t4}, {"new_password", "another password 4"}}))
                .status,
            204);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/password-reset/confirm",
                 obj({{"token", t3}, {"new_password", "another password 5"}}))
                .status,
            401);
}

TEST_F(AuthAccountChanges, ResetMailsAreCappedPerAccountSilently) {
  raw_nats nats{stack_->nats_url()};
  auto* notify = nats.subscribe("haven.notify.auth.password_reset");
  auto a = register_account(port(), {{"email", unique_email("cap")}});
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(
        call(port(), "POST", "/v1/auth/password-reset/request", obj({{"email", a.email}})).status,
        202);
  int mails = 0;
  while (raw_nats::next(notify, 2s))
    ++mails;
  EXPECT_EQ(mails, 3);
}

// L2: the demoted admin's sessions end (access refused within 1 s, refresh
// refused), and after a new login the staff list is refused by role.
TEST_F(AuthAccountChanges, ADemotedAdminStopsReadingMembersAtOnce) {
  auto tag = unique_email("demote");
  auto slug = tag.substr(0, tag.find('@'));
  auto boss = register_account(port(), {{"email", tag}, {"org_name", "Org"}, {"org_slug", slug}});
  auto inv =
      call(port(), "POST", "/v1/orgs/current/invites", obj({{"role", "admin"}}), boss.access);
  ASSERT_EQ(inv.status, 201) << inv.body;
  auto other = register_account(
      port(), {{"email", unique_email("demoted")}, {"invite_code", field(inv, "/code")}});
  ASSERT_EQ(call(port(), "GET", "/v1/orgs/current/members", {}, other.access).status, 200);
  auto r = call(port(), "PATCH", "/v1/orgs/current/members/" + other.id, obj({{"role", "user"}}),
                boss.access);
  ASSERT_EQ(r.status, 200) << r.body;
  auto changed = steady::now();
  int status = 200;
  while (steady::now() - changed < 1s) {
    status = call(port(), "GET", "/v1/orgs/current/members", {}, other.access).status;
    if (status != 200)
      break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_NE(status, 200) << "the demoted admin still lists members";
  EXPECT_EQ(
      call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", other.refresh}})).status,
      401);
  auto again = from_tokens(call(port(), "POST", "/v1/auth/login",
                                obj({{"email", other.email}, {"password", other.password}})));
  EXPECT_EQ(again.role, "user");
  EXPECT_EQ(call(port(), "GET", "/v1/orgs/current/members", {}, again.access).status, 403);
  // A promotion ends nothing.
  auto up = call(port(), "PATCH", "/v1/orgs/current/members/" + other.id,
                 obj({{"role", "counselor"}}), boss.access);
  ASSERT_EQ(up.status, 200);
  EXPECT_EQ(call(port(), "GET", "/v1/auth/me", {}, again.access).status, 200);
}

} // namespace
} // namespace haven::test::auth
