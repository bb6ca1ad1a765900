// API.md section 3 sessions against the real binary and stack: refresh
// rotation and reuse, logout, password reset (with a real NATS subscriber on
// the notifier subject).
#include <thread>

#include "tests/integration/auth_test_support.hpp"
#include "tests/integration/bus_test_util.hpp"

namespace haven::test::auth {
namespace {

using namespace std::chrono_literals;

class AuthSession : public auth_suite {};

TEST_F(AuthSession, RefreshRotatesAndReuseRevokesTheFamily) {
  auto a = register_account(port());
  auto r1 = call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", a.refresh}}));
  ASSERT_EQ(r1.status, 200) << r1.body;
  auto b = from_tokens(r1);
  EXPECT_NE(b.refresh, a.refresh);
  EXPECT_EQ(b.id, a.id);
  EXPECT_EQ(call(port(), "GET", "/v1/auth/me", {}, b.access).status, 200);
  // The old token again: theft. 401, and the newest token dies too.
  auto reuse = call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", a.refresh}}));
  EXPECT_EQ(reuse.status, 401);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", b.refresh}})).status,
            401);
  EXPECT_EQ(call(port(), "GET", "/v1/auth/me", {}, b.access).status, 401); // the session is revoked
  // Another session of the same user is untouched.
  auto other =
      call(port(), "POST", "/v1/auth/login", obj({{"handle", a.handle}, {"password", a.password}}));
  EXPECT_EQ(other.status, 200);
}

TEST_F(AuthSession, RefreshRejectsUnknownAndMalformed) {
  EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", std::string(43, 'A')}}))
                .status,
            401);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", "x"}})).status, 401);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", "{}").status, 422);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", R"({"refresh_token": 1})").status, 422);
}

TEST_F(AuthSession, LogoutRevokesTheTokenAndTheSession) {
  auto a = register_account(port());
  auto r = call(port(), "POST", "/v1/auth/logout", {}, a.access);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(call(port(), "GET", "/v1/auth/me", {}, a.access).status, 401);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", a.refresh}})).status,
            401);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/logout", {}, a.access).status, 401);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/logout").status, 401);
}

TEST_F(AuthSession, LogoutWithARefreshTokenOfAnotherSession) {
  auto a = register_account(port());
  auto second = from_tokens(call(port(), "POST", "/v1/auth/login",
                                 obj({{"handle", a.handle}, {"password", a.password}})));
  auto r =
      call(port(), "POST", "/v1/auth/logout", obj({{"refresh_token", second.refresh}}), a.access);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(
      call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", second.refresh}})).status,
      401);
  EXPECT_EQ(call(port(), "GET", "/v1/auth/me", {}, second.access).status, 401);
  auto bad = call(port(), "POST", "/v1/auth/logout", R"({"refresh_token": []})", second.access);
  EXPECT_EQ(bad.status, 401); // the token check comes first
}

TEST_F(AuthSession, PasswordResetFlow) {
  raw_nats nats{stack_->nats_url()};
  auto* notify = nats.subscribe("haven.notify.auth.password_reset");
  auto* events = nats.subscribe("haven.events.>");
  auto a = register_account(port(), {{"email", unique_email("reset")}});
  // Unknown email: the same 202, nothing sent.
  auto unknown = call(port(), "POST", "/v1/auth/password-reset/request",
                      obj({{"email", unique_email("nobody")}}));
  EXPECT_EQ(unknown.status, 202);
  auto req = call(port(), "POST", "/v1/auth/password-reset/request",
                  obj({{"email", " " + a.email + " "}}));
  EXPECT_EQ(req.status, 202) << req.body;
  auto msg = raw_nats::next(notify, 10s);
  ASSERT_TRUE(msg) << "no message on the notifier subject";
  EXPECT_EQ(field(msg->data, "/user_id"), a.id);
  EXPECT_EQ(field(msg->data, "/email"), a.email);
  auto token = field(msg->data, "/token");
  EXPECT_GE(token.size(), 43u);
  EXPECT_NE(field(msg->data, "/expires_at"), "<missing>");
  EXPECT_FALSE(raw_nats::next(notify, 300ms)) << "a message for the unknown email";
  // The public event carries no token.
  bool saw_event = false;
  for (int i = 0; i < 20 && !saw_event; ++i) {
    auto ev = raw_nats::next(events, 1s);
    if (!ev)
      continue;
    EXPECT_EQ(ev->data.find(token), std::string::npos) << ev->subject;
    saw_event = ev->subject == "haven.events.auth.password_reset_requested";
    if (saw_event) {
      EXPECT_EQ(field(ev->data, "/request_id"), req.header_or_empty("x-request-id"));
    }
  }
  EXPECT_TRUE(saw_event);

  const std::string next = "a brand new password";
  EXPECT_EQ(call(port(), "POST", "/v1/auth/password-reset/confirm",
                 obj({{"token", token}, {"new_password", "short"}}))
                .status,
            422);
  auto bad = call(port(), "POST", "/v1/auth/password-reset/confirm",
                  obj({{"token", std::string(43, 'B')}, {"new_password", next}}));
  EXPECT_EQ(bad.status, 401);
  auto ok = call(port(), "POST", "/v1/auth/password-reset/confirm",
                 obj({{"token", token}, {"new_password", next}}));
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(call(port(), "GET", "/v1/auth/me", {}, a.access).status, 401); // all sessions revoked
  EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", a.refresh}})).status,
            401);
  auto again = call(port(), "POST", "/v1/auth/password-reset/confirm",
                    obj({{"token", token}, {"new_password", "yet another password"}}));
  EXPECT_EQ(again.status, 401); // single use
  EXPECT_EQ(
      call(port(), "POST", "/v1/auth/login", obj({{"email", a.email}, {"password", next}})).status,
      200);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/password-reset/request", "{}").status, 422);
  natsSubscription_Destroy(notify);
  natsSubscription_Destroy(events);
}

} // namespace
} // namespace haven::test::auth
