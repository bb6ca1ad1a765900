#include "actors/moderation/lexicon_loader.hpp"

#include <gtest/gtest.h>

#include "actors/moderation/classifier.hpp"
#include "moderation_test_util.hpp"

using namespace haven::moderation;

namespace {

std::shared_ptr<const lexicon> build(const std::string& tsv) {
  auto r = build_lexicon({{"test.tsv", tsv}});
  EXPECT_TRUE(r.lex) << r.error;
  return r.lex;
}

std::string build_error(const std::string& tsv) {
  return build_lexicon({{"t.tsv", tsv}}).error;
}

} // namespace

// Words come from crisis::tokenize (tested with the crisis detector); these
// check how the moderation matcher looks them up and where it breaks phrases.
TEST(moderation_lookup, spelling_variants_reach_the_lexicon_word) {
  auto lex = build("match\ten\tharassment\t0.9\tkys|kill yourself|you idiot\n");
  ASSERT_TRUE(lex);
  classifier c{lex};
  auto h = [&](const char* t) { return c.classify(t, "en")[category::harassment]; };
  for (const char* t : {"KYS", "kyssss", "kyyyys", "k1ll yourself", "kiiiill yourself",
                        "KILL YOURSELF!!!", "k\u200bys", "you 1d10t"})
    EXPECT_FLOAT_EQ(h(t), 0.9f) << t;
  for (const char* t :
       {"kill. yourself", "kill, yourself", "you (idiot", "kisses", "kill yourselves"})
    EXPECT_FLOAT_EQ(h(t), 0.0f) << t;
}

TEST(moderation_lookup, apostrophes_match_with_or_without) {
  auto lex = build("match\ten\tviolence_threat\t0.9\ti'll kill you\n");
  ASSERT_TRUE(lex);
  classifier c{lex};
  for (const char* t : {"I'll kill you", "Ill kill you", "I\u2019ll kill you", "i`ll kill you"})
    EXPECT_FLOAT_EQ(c.classify(t, "en")[category::violence_threat], 0.9f) << t;
}

TEST(moderation_lookup, any_bytes_are_safe) {
  auto lex = test::shipped_lexicon();
  classifier c{lex};
  const char raw[] = "\xff\xfe kill\0you \xe2\x80 \xc3\x28 \xe2\0";
  const std::string hostile(raw, sizeof raw - 1);
  auto s = c.classify(hostile, "en");
  for (auto cat : all_categories)
    EXPECT_EQ(s[cat], 0.0f);
  EXPECT_EQ(c.classify("", "en")[category::hate], 0.0f);
}

TEST(moderation_lexicon, shipped_files_load) {
  auto r = load_lexicon_dir(test::data_dir());
  ASSERT_TRUE(r.lex) << r.error;
  EXPECT_GT(r.lex->entries().size(), 50u);
  EXPECT_GE(r.lex->locale_index("en"), 0);
  EXPECT_GE(r.lex->locale_index("sw"), 0);
}

TEST(moderation_lexicon, load_errors_name_file_and_line) {
  EXPECT_EQ(build_error("# c\nmatch\ten\tnope\t0.5\tx\n"), "t.tsv:2: unknown category nope");
  EXPECT_NE(build_error("match\ten\thate\t1.5\tx\n").find("t.tsv:1: weight"), std::string::npos);
  EXPECT_NE(build_error("match\ten\thate\t0.5\t~ x\n").find("start or end"), std::string::npos);
  EXPECT_NE(build_error("match\ten\thate\t0.5\t{missing} x\n").find("unknown set"),
            std::string::npos);
  EXPECT_NE(build_error("match\ten\thate\n").find("t.tsv:1:"), std::string::npos);
  EXPECT_NE(build_error("cue\ten\tmaybe\tnot\n").find("negation or report"), std::string::npos);
  EXPECT_NE(build_error("match\tEnglish\thate\t0.5\tx\n").find("locale"), std::string::npos);
  EXPECT_FALSE(build_error("# only comments\n").empty());
  EXPECT_NE(load_lexicon_dir("/nonexistent/dir").error.find("/nonexistent/dir"), std::string::npos);
}

TEST(moderation_lexicon, sets_wildcards_and_gaps) {
  EXPECT_NE(build_error("set\tobj\tyou|the {who}\n").find("unknown set {who}"), std::string::npos);
  EXPECT_NE(build_error("set\tobj\tyou|the *\n").find("plain words"), std::string::npos);
  auto lex = build("set\twho\tcat|dog\n"
                   "set\tverb\thit|punch hard\n"
                   "set\tobj\tyou|the {who}\n"
                   "match\ten\tviolence_threat\t0.9\ti will {verb} {obj}\n"
                   "match\ten\tharassment\t0.5\tyou * fool\n"
                   "match\ten\thate\t0.5\tred ~ blue\n"
                   "cue\ten\tnegation\tnot\n");
  ASSERT_TRUE(lex);
  classifier c{lex};
  auto v = [&](const char* t) { return c.classify(t, "en")[category::violence_threat]; };
  EXPECT_FLOAT_EQ(v("I will hit you"), 0.9f);
  EXPECT_FLOAT_EQ(v("i will punch hard the dog"), 0.9f);
  EXPECT_FLOAT_EQ(v("i will punch the dog"), 0.0f);
  EXPECT_FLOAT_EQ(v("i will hit the cow"), 0.0f);
  auto h = [&](const char* t) { return c.classify(t, "en")[category::harassment]; };
  EXPECT_FLOAT_EQ(h("you big fool"), 0.5f);
  EXPECT_FLOAT_EQ(h("you fool"), 0.0f);
  EXPECT_FLOAT_EQ(h("you not fool"), 0.0f); // the wildcard swallowed a negation
  auto g = [&](const char* t) { return c.classify(t, "en")[category::hate]; };
  EXPECT_FLOAT_EQ(g("red blue"), 0.5f);
  EXPECT_FLOAT_EQ(g("red a b c d blue"), 0.5f);
  EXPECT_FLOAT_EQ(g("red a b c d e blue"), 0.0f); // the gap is at most 4 words
  EXPECT_FLOAT_EQ(g("red a, blue"), 0.0f);        // and never crosses a break
}

TEST(moderation_lexicon, locales_gate_entries) {
  auto lex = build("match\txx\tharassment\t0.5\tfoo\nmatch\ten\tharassment\t0.5\tbar\n");
  ASSERT_TRUE(lex);
  classifier c{lex}; // code-switching locales: en, sw
  EXPECT_FLOAT_EQ(c.classify("foo", "en")[category::harassment], 0.0f);
  EXPECT_FLOAT_EQ(c.classify("foo", "xx")[category::harassment], 0.5f);
  EXPECT_FLOAT_EQ(c.classify("bar", "xx")[category::harassment], 0.5f);
}

TEST(moderation_lexicon, idioms_suppress_overlapping_hits_of_their_category) {
  auto lex = build("match\ten\tviolence_threat\t0.9\tkill\n"
                   "match\ten\tharassment\t0.5\tkill\n"
                   "idiom\ten\tviolence_threat\tkill time\n");
  ASSERT_TRUE(lex);
  classifier c{lex};
  auto s = c.classify("let's kill time", "en");
  EXPECT_FLOAT_EQ(s[category::violence_threat], 0.0f);
  EXPECT_FLOAT_EQ(s[category::harassment], 0.5f);
}
