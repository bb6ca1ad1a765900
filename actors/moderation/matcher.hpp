#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "actors/crisis/normalize.hpp"
#include "actors/moderation/lexicon.hpp"

// Runs the lexicon over a tokenized text (crisis::tokenize, shared with the
// crisis detector): word ids, then the lattice of
// symbols (each word, and each set item found in the set-item trie), then the
// phrase trie over that lattice. Internal to the classifier; separate so the
// walk can be tested and measured alone.

namespace haven::moderation {

struct token_ids {
  static constexpr uint32_t weak_break = 0xFFFFFFFEu;
  static constexpr uint32_t strong_break = 0xFFFFFFFFu;

  std::vector<uint32_t> ids; // word ids, or a break sentinel
  // Symbols starting at token p: syms[offset[p] .. offset[p + 1]), each with
  // the token index one past its end.
  std::vector<uint32_t> offset;
  std::vector<std::pair<uint32_t, uint32_t>> syms;

  static bool is_word(uint32_t id) { return id < weak_break; }
};

struct phrase_hit {
  uint32_t entry;
  uint32_t begin;         // token index
  uint32_t end;           // exclusive
  bool wildcard_negation; // a `*` or `~` swallowed a negation cue
};

/// Maps the words of `ts` to word ids, with a break sentinel wherever the
/// sentence or clause changes, and builds the symbol lattice. A word the
/// lexicon does not know is tried squeezed ("kyss" -> "kys") and, if it mixes
/// letters with digits or leet symbols, decoded ("k1ll" -> "kill").
void to_ids(const lexicon& lex, const crisis::token_stream& ts, token_ids& out);

/// Appends every phrase occurrence; phrases never span a break.
void find_hits(const lexicon& lex, const token_ids& t, std::vector<phrase_hit>& out);

} // namespace haven::moderation
