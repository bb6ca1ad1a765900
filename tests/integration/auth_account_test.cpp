// API.md section 3 against the real binary and stack: register, login, me,
// PATCH users/me, JWKS.
#include <algorithm>
#include <cctype>
#include <future>
#include <set>
#include <thread>

#include "tests/integration/auth_test_support.hpp"

namespace haven::test::auth {
namespace {

class AuthAccount : public auth_suite {};

bool is_uuid(const std::string& s) {
  return s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
}

TEST_F(AuthAccount, RegisterWithEmailAnswersTokens) {
  auto email = unique_email("Reg");
  auto r = call(port(), "POST", "/v1/auth/register",
                obj({{"email", "  " + email + " "},
                     {"password", default_password},
                     {"display_name", "  Ada "}}));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header_or_empty("content-type"), "application/json");
  EXPECT_EQ(field(r, "/token_type"), "Bearer");
  EXPECT_EQ(field(r, "/expires_in"), "900");
  EXPECT_EQ(field(r, "/user/email"), to_lower(email));
  EXPECT_EQ(field(r, "/user/display_name"), "Ada");
  EXPECT_EQ(field(r, "/user/role"), "user");
  EXPECT_EQ(field(r, "/user/tier"), "free");
  EXPECT_EQ(field(r, "/user/org_id"), "<null>");
  EXPECT_TRUE(is_uuid(field(r, "/user/id"))) << r.body;
  auto created = field(r, "/user/created_at");
  EXPECT_EQ(created.size(), 20u) << created;
  EXPECT_EQ(created.back(), 'Z');
  auto access = field(r, "/access_token");
  EXPECT_EQ(std::count(access.begin(), access.end(), '.'), 2);
  EXPECT_GE(field(r, "/refresh_token").size(), 43u);
}

TEST_F(AuthAccount, AnonymousAccountLogsInWithHandle) {
  auto a = register_account(port());
  EXPECT_EQ(a.email, "<null>");
  ASSERT_NE(a.handle.find('-'), std::string::npos);
  auto r =
      call(port(), "POST", "/v1/auth/login", obj({{"handle", a.handle}, {"password", a.password}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/user/id"), a.id);
}

TEST_F(AuthAccount, DuplicateEmailIsConflictWhateverTheCase) {
  auto email = unique_email("dup");
  register_account(port(), {{"email", email}});
  auto upper = to_lower(email);
  for (auto& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto r = call(port(), "POST", "/v1/auth/register",
                obj({{"email", upper}, {"password", default_password}}));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(field(r, "/error/code"), "email_taken");
}

TEST_F(AuthAccount, TwoSimultaneousRegistrationsOfOneEmail) {
  for (int round = 0; round < 3; ++round) {
    auto body = obj({{"email", unique_email("race")}, {"password", default_password}});
    auto a = std::async(std::launch::async,
                        [&] { return call(port(), "POST", "/v1/auth/register", body); });
    auto b = std::async(std::launch::async,
                        [&] { return call(port(), "POST", "/v1/auth/register", body); });
    std::multiset<int> statuses{a.get().status, b.get().status};
    EXPECT_EQ(statuses, (std::multiset<int>{201, 409}));
  }
}

TEST_F(AuthAccount, RegisterRuleBreaksAre422WithDetails) {
  auto r = call(port(), "POST", "/v1/auth/register",
                obj({{"email", "not-an-email"}, {"password", "short"}, {"org_slug", "Bad Slug"}}));
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(field(r, "/error/code"), "validation_failed");
  auto details = field(r, "/error/details");
  for (auto f : {"\"email\"", "\"password\"", "\"org_slug\"", "\"org_name\""})
    EXPECT_NE(details.find(f), std::string::npos) << f << " in " << details;
  EXPECT_EQ(call(port(), "POST", "/v1/auth/register", "{}").status, 422);
  auto too_long =
      call(port(), "POST", "/v1/auth/register", obj({{"password", std::string(257, 'x')}}));
  EXPECT_EQ(too_long.status, 422);
  EXPECT_EQ(field(too_long, "/error/details/0/issue"), "too_long");
  auto wrong_type = call(port(), "POST", "/v1/auth/register", R"({"password": 12345678901})");
  EXPECT_EQ(wrong_type.status, 422);
  EXPECT_EQ(field(wrong_type, "/error/details/0/issue"), "invalid_type");
}

TEST_F(AuthAccount, LoginFailuresLookTheSame) {
  auto a = register_account(port(), {{"email", unique_email("login")}});
  auto ok = call(port(), "POST", "/v1/auth/login",
                 obj({{"email", " " + a.email + " "}, {"password", a.password}}));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(field(ok, "/refresh_token"), a.refresh);
  auto wrong = call(port(), "POST", "/v1/auth/login",
                    obj({{"email", a.email}, {"password", "wrong password!"}}));
  auto unknown = call(port(), "POST", "/v1/auth/login",
                      obj({{"email", unique_email("nobody")}, {"password", "wrong password!"}}));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(field(wrong, "/error/code"), "invalid_credentials");
  EXPECT_EQ(field(unknown, "/error/code"), "invalid_credentials");
  EXPECT_EQ(field(wrong, "/error/message"), field(unknown, "/error/message"));
  EXPECT_FALSE(wrong.has_header("www-authenticate"));
  EXPECT_EQ(call(port(), "POST", "/v1/auth/login", obj({{"password", "x"}})).status, 422);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/login",
                 obj({{"email", a.email}, {"handle", a.handle}, {"password", a.password}}))
                .status,
            422);
}

TEST_F(AuthAccount, MeNeedsAValidToken) {
  auto a = register_account(port());
  auto me = call(port(), "GET", "/v1/auth/me", {}, a.access);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(field(me, "/user/id"), a.id);
  EXPECT_EQ(field(me, "/user/handle"), a.handle);
  for (std::string bad : std::vector<std::string>{"", "garbage", a.access + "x",
                                                  a.access.substr(0, a.access.size() - 2)}) {
    auto r = call(port(), "GET", "/v1/auth/me", {}, bad);
    EXPECT_EQ(r.status, 401) << bad;
    EXPECT_EQ(r.header_or_empty("www-authenticate"), "Bearer");
    EXPECT_EQ(field(r, "/error/code"), "unauthorized");
  }
  auto basic = call(port(), "GET", "/v1/auth/me", {}, {}, {{"Authorization", "Basic YTpi"}});
  EXPECT_EQ(basic.status, 401);
}

TEST_F(AuthAccount, AnonymousUpgradesToEmailKeepingItsId) {
  auto a = register_account(port(), {{"display_name", "Anon"}});
  auto email = unique_email("upgrade");
  auto r = call(port(), "PATCH", "/v1/users/me", obj({{"email", email}, {"display_name", "Named"}}),
                a.access);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/user/id"), a.id);
  EXPECT_EQ(field(r, "/user/email"), email);
  EXPECT_EQ(field(r, "/user/display_name"), "Named");
  auto me = call(port(), "GET", "/v1/auth/me", {}, a.access);
  EXPECT_EQ(field(me, "/user/email"), email); // the cache was updated
  auto login =
      call(port(), "POST", "/v1/auth/login", obj({{"email", email}, {"password", a.password}}));
  EXPECT_EQ(field(login, "/user/id"), a.id);
  auto other = register_account(port());
  auto taken = call(port(), "PATCH", "/v1/users/me", obj({{"email", email}}), other.access);
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(field(taken, "/error/code"), "email_taken");
  EXPECT_EQ(call(port(), "PATCH", "/v1/users/me", obj({{"email", "bad"}}), a.access).status, 422);
  EXPECT_EQ(call(port(), "PATCH", "/v1/users/me", obj({{"display_name", "x"}})).status, 401);
}

TEST_F(AuthAccount, PasswordChangeRevokesOtherSessionsOnly) {
  auto a = register_account(port(), {{"email", unique_email("pw")}});
  auto second = from_tokens(
      call(port(), "POST", "/v1/auth/login", obj({{"email", a.email}, {"password", a.password}})));
  const std::string next = "another long password";
  auto missing = call(port(), "PATCH", "/v1/users/me", obj({{"password", next}}), a.access);
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(field(missing, "/error/details/0/field"), "current_password");
  auto wrong = call(port(), "PATCH", "/v1/users/me",
                    obj({{"password", next}, {"current_password", "not the password"}}), a.access);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(field(wrong, "/error/code"), "invalid_credentials");
  auto weak = call(port(), "PATCH", "/v1/users/me",
                   obj({{"password", "short"}, {"current_password", a.password}}), a.access);
  EXPECT_EQ(weak.status, 422);
  auto ok = call(port(), "PATCH", "/v1/users/me",
                 obj({{"password", next}, {"current_password", a.password}}), a.access);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(call(port(), "GET", "/v1/auth/me", {}, a.access).status, 200); // calling session
  EXPECT_EQ(call(port(), "GET", "/v1/auth/me", {}, second.access).status, 401);
  EXPECT_EQ(
      call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", second.refresh}})).status,
      401);
  EXPECT_EQ(call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", a.refresh}})).status,
            200);
  EXPECT_EQ(
      call(port(), "POST", "/v1/auth/login", obj({{"email", a.email}, {"password", a.password}}))
          .status,
      401);
  EXPECT_EQ(
      call(port(), "POST", "/v1/auth/login", obj({{"email", a.email}, {"password", next}})).status,
      200);
}

TEST_F(AuthAccount, JwksServesThePublicKeys) {
  auto r = call(port(), "GET", "/.well-known/jwks.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(field(r, "/keys/0/kty"), "OKP");
  EXPECT_EQ(field(r, "/keys/0/crv"), "Ed25519");
  EXPECT_EQ(field(r, "/keys/0/alg"), "EdDSA");
  EXPECT_EQ(field(r, "/keys/0/use"), "sig");
  EXPECT_EQ(field(r, "/keys/0/d"), "<missing>"); // never the private half
  EXPECT_NE(field(r, "/keys/0/kid"), "<missing>");
}

} // namespace
} // namespace haven::test::auth
