// The cultural knowledge base (API.md section 5): locale handling, the
// fallback chain, and the data-file rules.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "actors/cultural/knowledge_base.hpp"

namespace haven::cultural {
namespace {

namespace fs = std::filesystem;

entry make(std::string id, std::string topic) {
  return entry{std::move(id), std::move(topic), "title", "body", "source", false};
}

TEST(CulturalLocale, NormalizesCaseAndSeparator) {
  EXPECT_EQ(normalize_locale("sw-ke"), "sw-KE");
  EXPECT_EQ(normalize_locale("SW_Ke"), "sw-KE");
  EXPECT_EQ(normalize_locale("EN"), "en");
  EXPECT_EQ(normalize_locale("es-419"), "es-419");
  for (auto bad :
       {"", "e", "english", "sw-", "sw-KEN", "sw-K1", "s1", "sw KE", "sw-KE-x", "../en", "sw-4"})
    EXPECT_FALSE(normalize_locale(bad)) << bad;
}

TEST(CulturalLocale, FallbackChainEndsInEnglish) {
  EXPECT_EQ(fallback_chain("sw-KE"), (std::vector<std::string>{"sw-KE", "sw", "en"}));
  EXPECT_EQ(fallback_chain("sw"), (std::vector<std::string>{"sw", "en"}));
  EXPECT_EQ(fallback_chain("en-KE"), (std::vector<std::string>{"en-KE", "en"}));
  EXPECT_EQ(fallback_chain("en"), (std::vector<std::string>{"en"}));
}

TEST(CulturalLookup, AnswersTheFirstLocaleOfTheChainThatHasTheTopic) {
  knowledge_base kb;
  kb.add("en", {make("en-grief", "grief"), make("en-exams", "exams"), make("en-work", "work")});
  kb.add("sw", {make("sw-grief", "grief"), make("sw-exams", "exams")});
  kb.add("sw-KE", {make("swke-exams", "exams")});

  auto exact = kb.find("sw-KE", "exams");
  EXPECT_EQ(exact.locale, "sw-KE");
  EXPECT_FALSE(exact.fallback);
  ASSERT_EQ(exact.entries.size(), 1u);
  EXPECT_EQ(exact.entries[0]->id, "swke-exams");

  auto language = kb.find("sw-KE", "grief");
  EXPECT_EQ(language.locale, "sw");
  EXPECT_TRUE(language.fallback);
  auto english = kb.find("sw-KE", "work");
  EXPECT_EQ(english.locale, "en");
  EXPECT_TRUE(english.fallback);
  auto unknown_locale = kb.find("fr-FR", "grief");
  EXPECT_EQ(unknown_locale.locale, "en");
  EXPECT_TRUE(unknown_locale.fallback);
  EXPECT_EQ(kb.find("en", "grief").fallback, false);

  auto all = kb.find("sw", "");
  EXPECT_EQ(all.locale, "sw");
  EXPECT_EQ(all.entries.size(), 2u);
  auto nothing = kb.find("sw", "astrology");
  EXPECT_TRUE(nothing.entries.empty());
  EXPECT_EQ(nothing.locale, "en");
}

class CulturalLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("haven-cultural-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::string load_error() { return load_knowledge_base(dir_.string()).error; }

  static constexpr const char* header = "id\ttopic\ttitle\tbody\tsource\treview\n";
  fs::path dir_;
};

TEST_F(CulturalLoad, ReadsEveryLocaleFile) {
  write("en.tsv", std::string{"# comment\n"} + header + "a\tgrief\tT\tB\tS\tdraft\n");
  write("sw-KE.tsv", std::string{header} + "b\tgrief\tT\tB\tS\treviewed\r\n");
  auto r = load_knowledge_base(dir_.string());
  ASSERT_TRUE(r.base) << r.error;
  EXPECT_EQ(r.base->size(), 2u);
  EXPECT_EQ(r.base->locales(), (std::vector<std::string>{"en", "sw-KE"}));
  auto found = r.base->find("sw-KE", "grief");
  ASSERT_EQ(found.entries.size(), 1u);
  EXPECT_TRUE(found.entries[0]->reviewed);
}

TEST_F(CulturalLoad, RefusesMalformedData) {
  write("en.tsv", std::string{header} + "a\tgrief\tT\tB\tS\n");
  EXPECT_NE(load_error().find("en.tsv:2: expected 6"), std::string::npos) << load_error();
  write("en.tsv", std::string{header} + "a\tGrief!\tT\tB\tS\tdraft\n");
  EXPECT_NE(load_error().find("topic"), std::string::npos);
  write("en.tsv", std::string{header} + "a\tgrief\tT\tB\tS\tmaybe\n");
  EXPECT_NE(load_error().find("review"), std::string::npos);
  write("en.tsv", std::string{header} + "a\tgrief\tT\t\tS\tdraft\n");
  EXPECT_NE(load_error().find("must not be empty"), std::string::npos);
  write("en.tsv", std::string{header} + "a\tgrief\tT\tB\tS\tdraft\na\twork\tT\tB\tS\tdraft\n");
  EXPECT_NE(load_error().find("duplicate id a"), std::string::npos);
  write("en.tsv", "a\tgrief\tT\tB\tS\tdraft\n");
  EXPECT_NE(load_error().find("header"), std::string::npos);
  write("en.tsv", std::string{header});
  write("english.tsv", std::string{header});
  EXPECT_NE(load_error().find("english.tsv"), std::string::npos);
}

TEST_F(CulturalLoad, AnEmptyFolderIsAnError) {
  EXPECT_NE(load_error().find("no <locale>.tsv"), std::string::npos);
  EXPECT_NE(load_knowledge_base((dir_ / "missing").string()).error, "");
}

} // namespace
} // namespace haven::cultural
