// Hostile input on every section 3 endpoint of the real binary: malformed
// JSON, wrong Content-Type, wrong types, oversize bodies, hostile strings.
// Never a 500, never a secret in the log.
#include <regex>

#include "tests/integration/auth_test_support.hpp"

namespace haven::test::auth {
namespace {

class AuthHostile : public auth_suite {};

struct endpoint {
  const char* method;
  const char* path;
  bool bearer;
};

const endpoint json_endpoints[] = {
    {"POST", "/v1/auth/register", false},
    {"POST", "/v1/auth/login", false},
    {"POST", "/v1/auth/refresh", false},
    {"POST", "/v1/auth/logout", true},
    {"PATCH", "/v1/users/me", true},
    {"POST", "/v1/auth/password-reset/request", false},
    {"POST", "/v1/auth/password-reset/confirm", false},
    {"POST", "/v1/orgs/current/invites", true},
    {"PATCH", "/v1/orgs/current/members/00000000-0000-4000-8000-000000000000", true},
};

TEST_F(AuthHostile, MalformedBodiesOnEveryEndpoint) {
  auto admin = register_account(port(), {{"org_name", "Hostile"}, {"org_slug", "hostile-org"}});
  for (auto& e : json_endpoints) {
    auto token = e.bearer ? admin.access : std::string{};
    SCOPED_TRACE(std::string{e.method} + " " + e.path);
    auto broken = call(port(), e.method, e.path, R"({"email": )", token);
    EXPECT_EQ(broken.status, 400);
    EXPECT_EQ(field(broken, "/error/code"), "invalid_json");
    auto bad_utf8 = call(port(), e.method, e.path, "{\"email\": \"\xff\xfe\"}", token);
    EXPECT_EQ(bad_utf8.status, 400);
    auto text = call(port(), e.method, e.path, "{}", token, {}, "text/plain");
    EXPECT_EQ(text.status, 415);
    auto huge =
        call(port(), e.method, e.path, obj({{"password", std::string(70 * 1024, 'a')}}), token);
    EXPECT_EQ(huge.status, 413);
    auto not_object = call(port(), e.method, e.path, "[1,2,3]", token);
    EXPECT_EQ(not_object.status, 422) << not_object.body;
    auto types = call(port(), e.method, e.path,
                      R"({"email":[],"password":{},"handle":1,"refresh_token":true,"token":null,)"
                      R"("new_password":2,"role":["admin"],"display_name":3,"current_password":4})",
                      token);
    EXPECT_EQ(types.status, 422) << types.body;
  }
}

TEST_F(AuthHostile, HostileStringsAreRefusedOrStoredSafely) {
  const std::string nasty[] = {"'; DROP TABLE users; --",
                               std::string("nul\0byte", 8),
                               "\x1b[31mred",
                               "<script>alert(1)</script>",
                               "a\u202Eb",
                               std::string(300, 'x'),
                               "../../etc/passwd",
                               "\xF0\x9F\x98\x80 emoji"};
  for (auto& s : nasty) {
    json::writer w;
    w.begin_object().field("email", s).field("password", default_password).end_object();
    auto r = call(port(), "POST", "/v1/auth/register", w.str());
    EXPECT_EQ(r.status, 422) << r.body;
    json::writer l;
    l.begin_object().field("handle", s).field("password", s).end_object();
    auto login = call(port(), "POST", "/v1/auth/login", l.str());
    EXPECT_TRUE(login.status == 401 || login.status == 422) << login.status << login.body;
    json::writer n;
    n.begin_object().field("display_name", s).field("password", default_password).end_object();
    auto named = call(port(), "POST", "/v1/auth/register", n.str());
    EXPECT_TRUE(named.status == 201 || named.status == 422) << named.status << named.body;
    if (named.status == 201) { // stored and returned verbatim
      EXPECT_EQ(field(named, "/user/display_name"), s);
    }
    json::writer t;
    t.begin_object().field("refresh_token", s).end_object();
    auto refreshed = call(port(), "POST", "/v1/auth/refresh", t.str());
    EXPECT_TRUE(refreshed.status == 401 || refreshed.status == 422) << refreshed.status;
  }
  // A control character in the header: the parser refuses the request (400),
  // or, if it got through, the gate does (401); never echoed, never a 500.
  auto r = call(port(), "GET", "/v1/auth/me", {}, {}, {{"Authorization", "Bearer a.b.c\x01"}});
  EXPECT_TRUE(r.status == 400 || r.status == 401) << r.status;
  EXPECT_EQ(r.body.find("a.b.c"), std::string::npos);
}

TEST_F(AuthHostile, NoSecretInTheLog) {
  // Exercise every flow that handles a secret, then grep the node's log.
  auto email = unique_email("secret");
  const std::string password = "pa55word-that-must-not-leak";
  auto a = register_account(port(), {{"email", email}, {"password", password}});
  call(port(), "POST", "/v1/auth/login",
       obj({{"email", email}, {"password", "wrong-pass-must-not-leak"}}));
  auto b = from_tokens(
      call(port(), "POST", "/v1/auth/login", obj({{"email", email}, {"password", password}})));
  auto c =
      from_tokens(call(port(), "POST", "/v1/auth/refresh", obj({{"refresh_token", b.refresh}})));
  call(port(), "PATCH", "/v1/users/me",
       obj({{"password", "next-pass-must-not-leak"}, {"current_password", password}}), c.access);
  call(port(), "POST", "/v1/auth/password-reset/request", obj({{"email", email}}));
  call(port(), "POST", "/v1/auth/logout", obj({{"refresh_token", c.refresh}}), c.access);
  call(port(), "GET", "/v1/auth/me", {}, a.access);
  std::this_thread::sleep_for(std::chrono::milliseconds(500)); // the logger is asynchronous
  auto log = node_->log_text();
  ASSERT_FALSE(log.empty());
  for (auto& secret :
       {password, std::string{"wrong-pass-must-not-leak"}, std::string{"next-pass-must-not-leak"},
        a.access, a.refresh, b.access, b.refresh, c.access, c.refresh, email})
    EXPECT_EQ(log.find(secret), std::string::npos) << "secret in the log: " << secret.substr(0, 12);
  for (auto* needle : {"$argon2id$", "eyJ"}) // hashes and JWT headers
    EXPECT_EQ(log.find(needle), std::string::npos) << needle;
}

} // namespace
} // namespace haven::test::auth
