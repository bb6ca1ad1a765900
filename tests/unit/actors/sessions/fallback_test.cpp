// The fallback responder's templates (docs/conversations.md "The fallback"):
// locale fallback like the cultural context (sw-KE -> sw -> en), a template
// per risk level that says it is automated, and crisis lines named at
// high/critical.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "actors/sessions/fallback.hpp"
#include "actors/sessions/reply_rules.hpp"

namespace haven::sessions {
namespace {

std::shared_ptr<const fallback_templates> shipped() {
  auto loaded = load_fallback(find_data_dir(""));
  EXPECT_TRUE(loaded.templates) << loaded.error;
  return loaded.templates;
}

std::vector<crisis_resource_view> kenya() {
  return {{"Find A Helpline", "", "https://findahelpline.com", "sw-KE"},
          {"Befrienders Kenya", "+254 722 178 177", "https://www.befrienderskenya.org", "sw-KE"}};
}

TEST(ConversationFallback, ShippedTemplatesLoadAndSayTheyAreAutomated) {
  auto t = shipped();
  ASSERT_TRUE(t);
  for (const char* kind : {"none", "low", "medium", "high", "critical", "blocked"}) {
    auto en = t->render("en", kind, 0, kenya());
    EXPECT_NE(en.find("automated message"), std::string::npos) << kind;
    auto sw = t->render("sw", kind, 0, kenya());
    EXPECT_NE(sw.find("kiotomatiki"), std::string::npos) << kind;
  }
}

TEST(ConversationFallback, LocaleFallsBackToLanguageThenEnglish) {
  auto t = shipped();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->render("sw-KE", "low", 0, {}), t->render("sw", "low", 0, {}));
  EXPECT_EQ(t->render("fr", "low", 0, {}), t->render("en", "low", 0, {}));
  EXPECT_EQ(t->render("", "low", 0, {}), t->render("en", "low", 0, {}));
  EXPECT_EQ(t->render("not a locale!", "low", 0, {}), t->render("en", "low", 0, {}));
  EXPECT_NE(t->render("sw", "low", 0, {}), t->render("en", "low", 0, {}));
}

TEST(ConversationFallback, HighAndCriticalNameALineWithItsNumber) {
  auto t = shipped();
  ASSERT_TRUE(t);
  for (const char* locale : {"en", "sw-KE"})
    for (int level : {3, 4}) {
      auto text = fallback_reply(*t, locale, level, false, 0, kenya());
      EXPECT_NE(text.find("Befrienders Kenya (+254 722 178 177)"), std::string::npos) << text;
      EXPECT_TRUE(names_a_resource(text, kenya()));
    }
  // A blocked message at high risk still gets the lines, not the blocked text.
  auto blocked_high = fallback_reply(*t, "en", 3, true, 0, kenya());
  EXPECT_TRUE(names_a_resource(blocked_high, kenya()));
  auto blocked_calm = fallback_reply(*t, "en", 0, true, 0, kenya());
  EXPECT_EQ(blocked_calm, t->render("en", "blocked", 0, {}));
}

TEST(ConversationFallback, VariantsRotate) {
  auto t = shipped();
  ASSERT_TRUE(t);
  EXPECT_NE(t->render("en", "none", 0, {}), t->render("en", "none", 1, {}));
  EXPECT_EQ(t->render("en", "none", 0, {}), t->render("en", "none", 2, {}));
}

TEST(ConversationFallback, LoaderRefusesAHighTextWithoutLines) {
  auto dir = std::filesystem::temp_directory_path() / "haven-fallback-test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream out{dir / "fallback.tsv"};
    out << "locale\tkind\ttext\treview\nen\thigh\tPlease take care.\tdraft\n";
  }
  auto loaded = load_fallback(dir.string());
  EXPECT_FALSE(loaded.templates);
  EXPECT_NE(loaded.error.find("fallback.tsv:2"), std::string::npos) << loaded.error;
  {
    std::ofstream out{dir / "fallback.tsv"};
    out << "locale\tkind\ttext\treview\nen\tnone\tHi.\tdraft\n";
  }
  loaded = load_fallback(dir.string());
  EXPECT_FALSE(loaded.templates); // en lacks the other kinds
  std::filesystem::remove_all(dir);
}

TEST(ConversationFallback, MentionsPreferPhoneLines) {
  EXPECT_EQ(mentions(kenya(), "or"),
            "Befrienders Kenya (+254 722 178 177) or Find A Helpline (https://findahelpline.com)");
  EXPECT_EQ(mentions({}, "or"), "");
}

} // namespace
} // namespace haven::sessions
