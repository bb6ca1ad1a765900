#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

// Per-code-point folding for matching: what a character *is* for the
// tokenizer. Letters come out lower-case ASCII without diacritics ("É" -> "e",
// "ß" -> "ss", Cyrillic look-alikes "а" -> "a"), typographic punctuation is
// folded to its ASCII role (’ -> apostrophe, “ -> quote, — -> dash), and the
// few emoji that change meaning become markers (😂 laughter, 🎵 lyrics) or words
// (🌉 bridge, 💊 pills: people draw the means instead of naming it).

namespace haven::crisis {

enum class char_kind : uint8_t {
  letter,       // text holds 1-2 lower-case ASCII letters
  digit,        // text holds the digit
  apostrophe,   // ' ’ ‘ ʼ ` ´
  leet,         // $ @ (part of a word when next to one)
  bang,         // ! (leet "i" between letters, else a sentence end)
  star,         // * (a masked letter between letters: "k*ll")
  dot,          // . (a sentence end unless between word characters)
  question,     // ? (a sentence end that makes a question)
  sentence_end, // ; … newline ‼
  clause_end,   // , : ( ) and dashes with spaces around
  hyphen,       // - inside a word ("self-harm") separates without a boundary
  space,        // blanks, quotes and other separators
  ignore,       // zero-width, soft hyphen, combining marks: dropped, words stay joined
  laugh,        // 😂 🤣 😆 😹 💀 🙄: emitted as the word "lol"
  music,        // ♪ ♫ 🎵 🎶: emitted as the word "lyrics"
  emoji, // a means drawn: 🌉 💊 🩸 🔪 🔫 🪢 🚆; text[0] is an index for emoji_word()
};

/// The word an emoji of kind `emoji` stands for ("bridge", "pills", "blood" ...).
const char* emoji_word(char index);

struct folded_char {
  char_kind kind = char_kind::space;
  uint8_t len = 0; // bytes used in text
  char text[2] = {0, 0};
};

/// Decodes one UTF-8 code point at `s[i]`; returns the number of bytes
/// consumed (>= 1). Invalid or truncated sequences decode as U+FFFD, one byte.
size_t decode_utf8(std::string_view s, size_t i, char32_t& cp);

/// What `cp` is for matching.
folded_char fold_char(char32_t cp);

/// fold_char for the 128 ASCII code points, precomputed (the tokenizer's fast path).
const folded_char* ascii_fold_table();

} // namespace haven::crisis
