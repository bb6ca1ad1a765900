// GET /v1/cultural/context (API.md section 5) on the real binary with the
// shipped knowledge base: no token needed, the locale fallback chain, bad
// input, and the limit by address.
#include "tests/integration/auth_test_support.hpp"

namespace haven::test::auth {
namespace {

class Cultural : public auth_suite {
 protected:
  static void SetUpTestSuite() {
    start({{"HAVEN_RATE_LIMIT_ANON", "30"}, {"HAVEN_TRUSTED_PROXIES", "127.0.0.1"}});
  }
  static void TearDownTestSuite() { stop(); }

  static http_response context(const std::string& query, const std::string& addr) {
    return call(port(), "GET", "/v1/cultural/context" + query, {}, "", {{"X-Forwarded-For", addr}});
  }
};

TEST_F(Cultural, AnswersWithoutATokenInTheRequestedLocale) {
  auto r = context("?locale=en&topic=grief", "198.51.100.1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/requested_locale"), "en");
  EXPECT_EQ(field(r, "/locale"), "en");
  EXPECT_EQ(field(r, "/fallback"), "false");
  EXPECT_NE(field(r, "/entries/0/id"), "<missing>") << r.body;
  EXPECT_EQ(field(r, "/entries/0/topic"), "grief");
  for (auto key : {"/entries/0/title", "/entries/0/body", "/entries/0/source"})
    EXPECT_FALSE(field(r, key).empty()) << key;
}

TEST_F(Cultural, FallsBackToTheLanguageThenToEnglish) {
  // Kenyan Swahili: its own entry or Swahili's, never empty.
  auto ke = context("?locale=sw-KE&topic=grief", "198.51.100.2");
  ASSERT_EQ(ke.status, 200) << ke.body;
  EXPECT_EQ(field(ke, "/requested_locale"), "sw-KE");
  auto answered = field(ke, "/locale");
  EXPECT_TRUE(answered == "sw-KE" || answered == "sw") << answered;
  EXPECT_EQ(field(ke, "/fallback"), answered == "sw-KE" ? "false" : "true");
  // Tanzanian Swahili has no file of its own: Swahili answers.
  auto tz = context("?locale=sw-tz&topic=stress", "198.51.100.2");
  EXPECT_EQ(field(tz, "/requested_locale"), "sw-TZ");
  EXPECT_EQ(field(tz, "/locale"), "sw");
  EXPECT_EQ(field(tz, "/fallback"), "true");
  // A language with no entries at all: English.
  auto fr = context("?locale=fr-FR&topic=grief", "198.51.100.2");
  EXPECT_EQ(field(fr, "/locale"), "en");
  EXPECT_EQ(field(fr, "/fallback"), "true");
  EXPECT_NE(field(fr, "/entries/0/id"), "<missing>");
}

TEST_F(Cultural, BadInputIsAValidationError) {
  const std::vector<std::string> bad{"?locale=english", "?locale=sw-KE-x", "?locale=../../etc",
                                     "?topic=Grief%20!",
                                     "?locale=en&topic=" + std::string(40, 'a')};
  for (const auto& q : bad) {
    auto r = context(q, "198.51.100.3");
    EXPECT_EQ(r.status, 422) << q << " " << r.body;
    EXPECT_EQ(field(r, "/error/code"), "validation_failed");
  }
  auto unknown = context("?locale=en&topic=astrology", "198.51.100.3");
  EXPECT_EQ(unknown.status, 200);
  EXPECT_EQ(field(unknown, "/entries/0/id"), "<missing>") << "an unknown topic has no entries";
}

TEST_F(Cultural, LimitedByAddressEvenWithAToken) {
  auto u = register_account(port());
  int ok = 0, limited = 0;
  for (int i = 0; i < 40; ++i) {
    auto r = call(port(), "GET", "/v1/cultural/context?locale=en", {}, u.access,
                  {{"X-Forwarded-For", "198.51.100.9"}});
    ok += r.status == 200;
    limited += r.status == 429;
  }
  EXPECT_EQ(ok, 30);
  EXPECT_EQ(limited, 10);
  // Another address has its own budget.
  EXPECT_EQ(context("?locale=en", "198.51.100.10").status, 200);
}

} // namespace
} // namespace haven::test::auth
