#include "actors/crisis/lexicon_loader.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "actors/crisis/scorer.hpp"
#include "actors/crisis/tsv.hpp"
#include "crisis_test_util.hpp"

using namespace haven::crisis;
namespace fs = std::filesystem;

namespace {

// A throwaway data folder with the given files.
class data_folder {
 public:
  data_folder() {
    dir_ = fs::temp_directory_path() /
           ("haven_crisis_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(dir_);
  }
  ~data_folder() { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream{dir_ / name} << text;
  }
  std::string path() const { return dir_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path dir_;
};

std::string error_of(const std::string& lexicon, const std::string& context = "") {
  data_folder d;
  d.write("lexicon_en.tsv", lexicon);
  if (!context.empty())
    d.write("context_en.tsv", context);
  auto r = load_lexicons(d.path());
  EXPECT_EQ(r.lexicons == nullptr, !r.error.empty());
  return r.error;
}

} // namespace

TEST(crisis_loader, loads_the_shipped_lexicons) {
  const lexicon_set& lex = test::lexicons();
  EXPECT_GT(lex.pattern_count(), 1000u);
  EXPECT_EQ(lex.locales(), (std::vector<std::string>{"en", "sw"}));
  EXPECT_NE(lex.word_id("suicide"), 0u);
  EXPECT_EQ(lex.word_id("zzzzqqq"), 0u);
}

TEST(crisis_loader, reports_malformed_lines_with_file_and_line) {
  EXPECT_EQ(error_of("want to die\tideation\n"),
            "lexicon_en.tsv:1: expected phrase<TAB>category<TAB>weight[<TAB>tags]");
  EXPECT_NE(
      error_of("# comment\nwant to die\tideaton\t0.9\n").find("lexicon_en.tsv:2: unknown category"),
      std::string::npos);
  EXPECT_NE(error_of("want to die\tideation\t1.5\n").find("weight must be"), std::string::npos);
  EXPECT_NE(error_of("want to die\tideation\tabc\n").find("weight must be"), std::string::npos);
  EXPECT_NE(error_of("want to die\tideation\t0.5\tloud\n").find("unknown tag"), std::string::npos);
  EXPECT_NE(error_of("want to (die\tideation\t0.5\n").find("unbalanced"), std::string::npos);
  EXPECT_NE(error_of("want to @NOPE\tideation\t0.5\n").find("unknown macro"), std::string::npos);
  EXPECT_NE(error_of("!!!\tideation\t0.5\n").find("no words"), std::string::npos);
  EXPECT_NE(
      error_of("x\tideation\t0.5\n", "weird\tphrase\n").find("context_en.tsv:1: unknown kind"),
      std::string::npos);
}

TEST(crisis_loader, a_folder_without_lexicon_is_an_error) {
  data_folder d;
  EXPECT_NE(load_lexicons(d.path()).error.find("has no lexicon_"), std::string::npos);
  EXPECT_NE(load_lexicons(d.path() + "/missing").error.find("crisis data folder"),
            std::string::npos);
}

TEST(crisis_loader, expands_alternatives_optionals_and_macros) {
  macro_table macros{{"X", {"a", "b c"}}};
  auto e = expand_phrase("(want|need) to [really] @X", macros);
  ASSERT_TRUE(e.error.empty()) << e.error;
  EXPECT_EQ(e.phrases.size(), 8u);
  EXPECT_NE(std::find(e.phrases.begin(), e.phrases.end(), "need to  b c"), e.phrases.end());
  auto nested = expand_phrase("x (a (b|c)|d)", {});
  EXPECT_EQ(nested.phrases, (std::vector<std::string>{"x a b", "x a c", "x d"}));
  EXPECT_FALSE(expand_phrase("a|b", {}).error.empty());
  EXPECT_FALSE(expand_phrase("(a|b)(c|d)(e|f)", {}, 4).error.empty()); // over the limit
}

TEST(crisis_loader, a_small_folder_scores_with_its_rules) {
  data_folder d;
  d.write("lexicon_en.tsv", "@V\twant to|wish to\n@V vanish\tideation\t0.7\tpassive\n");
  d.write("spelling_en.tsv", "wanna\twant to\n");
  d.write("context_en.tsv", "filler\treally\n");
  d.write("negations_en.tsv", "negation\tnever\n");
  auto r = load_lexicons(d.path());
  ASSERT_TRUE(r.lexicons) << r.error;
  EXPECT_EQ(score(*r.lexicons, "i really wanna vanish").level, risk_level::medium);
  EXPECT_EQ(score(*r.lexicons, "i never wish to vanish").level, risk_level::none);
}

TEST(crisis_loader, misspelling_keys_cannot_be_targets) {
  data_folder d;
  d.write("lexicon_en.tsv", "die\tideation\t0.5\n");
  d.write("spelling_en.tsv", "a\tb\nb\tc\n");
  EXPECT_NE(load_lexicons(d.path()).error.find("cannot be a target"), std::string::npos);
}

TEST(crisis_loader, finds_the_data_folder) {
  EXPECT_EQ(find_data_dir("/somewhere/else"), "/somewhere/else"); // a setting wins, even if wrong
  std::string found = find_data_dir();
  EXPECT_TRUE(fs::exists(fs::path{found} / "lexicon_en.tsv")) << found;
}
