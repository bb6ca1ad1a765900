#include "actors/crisis/normalize.hpp"

#include <gtest/gtest.h>

#include "actors/crisis/fold.hpp"

using namespace haven::crisis;

namespace {

std::string joined(std::string_view text) {
  std::string out;
  for (const auto& w : normalize_words(text))
    out += (out.empty() ? "" : " ") + w;
  return out;
}

} // namespace

TEST(crisis_normalize, lower_cases_and_strips_diacritics) {
  EXPECT_EQ(joined("I WANT To Die"), "i want to die");
  EXPECT_EQ(joined("Café NAÏVE façade Ærø straße"), "cafe naive facade aero strasse");
  EXPECT_EQ(joined("Łódź żółw ğüş őrült"), "lodz zolw gus orult");
  EXPECT_EQ(joined("e\xcc\x81t\xc3\xa9"), "ete"); // combining acute accent, then precomposed
}

TEST(crisis_normalize, folds_typographic_punctuation) {
  EXPECT_EQ(joined("I don\xe2\x80\x99t want to"), "i dont want to"); // ’
  EXPECT_EQ(joined("don't can`t won\xca\xbct"), "dont cant wont");
  EXPECT_EQ(joined("\xe2\x80\x9cquoted\xe2\x80\x9d"), "quoted"); // “ ”
  EXPECT_EQ(joined("ＦＵＬＬ width"), "full width");
  EXPECT_EQ(joined("k\xe2\x80\x8bill"), "kill"); // zero-width space inside a word
}

TEST(crisis_normalize, cyrillic_look_alikes_become_latin) {
  EXPECT_EQ(joined("k\xd1\x96ll \xd0\xb0ll"), "kill all"); // Cyrillic і and а
}

TEST(crisis_normalize, collapses_runs_of_three_or_more_letters_to_two) {
  EXPECT_EQ(joined("sooooo tired"), "soo tired");
  EXPECT_EQ(joined("diiiiie"), "diie");
  EXPECT_EQ(joined("sleep"), "sleep"); // two stay two
}

TEST(crisis_normalize, squeeze_is_the_lookup_key) {
  char buf[64];
  EXPECT_EQ(squeeze("kiiiill", buf), "kil");
  EXPECT_EQ(squeeze("kill", buf), "kil");
  EXPECT_EQ(squeeze("su***de", buf), "su***de"); // masks keep one star per letter
}

TEST(crisis_normalize, keeps_leet_characters_inside_words) {
  EXPECT_EQ(joined("k1ll my$elf @ home"), "k1ll my$elf home");
  EXPECT_EQ(joined("k!ll su!c!de! now"), "k!ll su!c!de now");
  EXPECT_EQ(joined("k*ll su***de"), "k*ll su***de");
}

TEST(crisis_normalize, decodes_leetspeak) {
  std::string out;
  EXPECT_TRUE(decode_leet("su1c1de", 0, out));
  EXPECT_EQ(out, "suicide");
  EXPECT_TRUE(decode_leet("k1ll", 0, out));
  EXPECT_EQ(out, "kill");
  EXPECT_TRUE(decode_leet("ki11", 0b11, out)); // both ones read as 'l'
  EXPECT_EQ(out, "kill");
  EXPECT_TRUE(decode_leet("d13", 0, out));
  EXPECT_EQ(out, "die");
  EXPECT_TRUE(decode_leet("$3lf h@rm", 0, out));
  EXPECT_EQ(out, "self harm");
  EXPECT_TRUE(decode_leet("0v3rd05e", 0, out));
  EXPECT_EQ(out, "overdose");
  EXPECT_FALSE(decode_leet("plain", 0, out));
  EXPECT_EQ(count_ones("1a1b1"), 3u);
}

TEST(crisis_normalize, counts_sentences_and_clauses) {
  token_stream ts;
  tokenize("I'm not okay, I want to die. Really? yes\nbye", ts);
  ASSERT_EQ(ts.words.size(), 10u);
  EXPECT_EQ(ts.words[0].sentence, 0u);               // im
  EXPECT_EQ(ts.words[2].sentence, 0u);               // okay
  EXPECT_NE(ts.words[2].clause, ts.words[3].clause); // the comma
  EXPECT_EQ(ts.words[6].sentence, 0u);               // die
  EXPECT_EQ(ts.words[7].sentence, 1u);               // really
  EXPECT_EQ(ts.words[8].sentence, 2u);               // yes
  EXPECT_EQ(ts.words[9].sentence, 3u);               // bye, after the newline
  ASSERT_EQ(ts.question.size(), 4u);
  EXPECT_EQ(ts.question[1], 1);
  EXPECT_EQ(ts.question[0], 0);
}

TEST(crisis_normalize, keeps_source_spans_for_evidence) {
  std::string text = "  Ça VA?  K1LL";
  token_stream ts;
  tokenize(text, ts);
  ASSERT_EQ(ts.words.size(), 3u);
  EXPECT_EQ(text.substr(ts.words[0].src_begin, ts.words[0].src_len), "Ça");
  EXPECT_EQ(text.substr(ts.words[2].src_begin, ts.words[2].src_len), "K1LL");
}

TEST(crisis_normalize, survives_invalid_utf8_and_odd_input) {
  EXPECT_EQ(joined("ab\xff\xfe"
                   "cd"),
            "ab cd");
  EXPECT_EQ(joined("\xe2\x82"), ""); // truncated sequence
  EXPECT_EQ(joined(""), "");
  EXPECT_EQ(joined("!!!???..."), "");
  std::string long_word(500, 'a');
  auto words = normalize_words(long_word);
  ASSERT_EQ(words.size(), 1u);
  EXPECT_LE(words[0].size(), max_word_bytes);
}

TEST(crisis_normalize, emoji_markers) {
  EXPECT_EQ(joined("I'm dead \xf0\x9f\x98\x82"), "im dead lol"); // 😂
  EXPECT_EQ(joined("\xf0\x9f\x8e\xb5 la la"), "lyrics la la");   // 🎵
}
