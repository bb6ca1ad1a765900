#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Text -> words for matching. Every word is lower-case ASCII without
// diacritics, apostrophes inside words are dropped ("don't" -> "dont"), runs of
// three or more equal letters become two ("sooooo" -> "soo"). Words keep their
// byte span in the original text (evidence quotes the writer's own words) and
// the sentence and clause they belong to (negation, reported speech and
// history cues only reach within those). The lexicon-aware steps (leetspeak,
// misspellings, Swahili affixes) live in encoder.hpp; the helpers they need
// are here.

namespace haven::crisis {

namespace word_flag {
constexpr uint8_t alpha = 1 << 0; // has a letter
constexpr uint8_t digit = 1 << 1; // has a digit
constexpr uint8_t leet = 1 << 2;  // has $ @ or ! between letters
constexpr uint8_t star = 1 << 3;  // has * between letters ("k*ll")
} // namespace word_flag

struct word {
  uint32_t norm_begin = 0; // into token_stream::norm
  uint32_t norm_len = 0;
  uint32_t src_begin = 0; // into the original text
  uint32_t src_len = 0;
  uint32_t sentence = 0;
  uint32_t clause = 0; // counts across the whole text, not per sentence
  uint8_t flags = 0;
};

struct token_stream {
  std::string norm; // the words' normalized text, back to back
  std::vector<word> words;
  std::vector<uint8_t> question; // per sentence: ends with '?'

  std::string_view text(const word& w) const { return {norm.data() + w.norm_begin, w.norm_len}; }
  void clear() {
    norm.clear();
    words.clear();
    question.clear();
  }
};

/// Words longer than this are cut (nothing in a lexicon is that long).
constexpr size_t max_word_bytes = 48;

/// Splits and normalizes `text` (UTF-8; invalid bytes act as separators).
void tokenize(std::string_view text, token_stream& out);

/// The normalized words only, for tests and tools.
std::vector<std::string> normalize_words(std::string_view text);

/// Collapses every run of equal characters to one ("kiill" -> "kil"): the key
/// under which words are looked up, so that "kiiiill", "kill" and "kil" meet.
/// Masks stay ("su***de": one star per hidden letter).
/// Writes into `buf` (at least `w.size()` bytes) and returns a view of it.
std::string_view squeeze(std::string_view w, char* buf);

/// Leetspeak decoding of one word (0->o 3->e 4->a 5->s 7->t $->s @->a !->i;
/// 1 is ambiguous: `ones_as_l` is a bit mask over the 1s of the word, bit set
/// = read as 'l', clear = 'i'). Returns false when the word has nothing to decode.
bool decode_leet(std::string_view w, uint32_t ones_as_l, std::string& out);

/// How many '1's `w` has (the leet decoder tries the 2^n readings for n <= 3).
size_t count_ones(std::string_view w);

} // namespace haven::crisis
