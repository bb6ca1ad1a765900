#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

// Aho–Corasick over word ids: every phrase of every lexicon is found in one
// left-to-right pass over the words of a message, whatever the number of
// phrases. Symbol 0 means "a word no phrase uses" and sends the automaton back
// to its root. Build once (add..., build), then scan from any thread.

namespace haven::crisis {

class aho_corasick {
 public:
  using symbol = uint32_t;

  struct match {
    uint32_t pattern; // the id add() returned
    uint32_t begin;   // first symbol of the match
    uint32_t end;     // one past the last symbol
  };

  /// Adds a non-empty pattern of symbols >= 1 and returns its id (0, 1, ...).
  /// Equal patterns may be added several times; each id is reported.
  uint32_t add(const std::vector<symbol>& pattern);

  /// Computes failure and output links. Call once, after the last add().
  void build();

  /// Calls `on_match(match)` for every occurrence of every pattern, in order
  /// of the match end (and longest first among equal ends).
  template <class F>
  void scan(const symbol* text, size_t n, F&& on_match) const {
    uint32_t state = 0;
    for (size_t i = 0; i < n; ++i) {
      symbol c = text[i];
      if (c == 0 || c >= root_.size()) {
        state = 0;
        continue;
      }
      for (;;) {
        uint32_t next = go(state, c);
        if (next != 0 || state == 0) {
          state = next;
          break;
        }
        state = fail_[state];
      }
      for (uint32_t s = outputs_len_[state] ? state : dict_[state]; s != 0; s = dict_[s]) {
        for (uint32_t k = 0; k < outputs_len_[s]; ++k) {
          uint32_t p = outputs_[outputs_begin_[s] + k];
          auto end = static_cast<uint32_t>(i + 1);
          on_match(match{p, end - lengths_[p], end});
        }
      }
    }
  }

  size_t pattern_count() const { return lengths_.size(); }
  size_t state_count() const { return fail_.size(); }
  uint32_t pattern_length(uint32_t id) const { return lengths_[id]; }

 private:
  uint32_t go(uint32_t state, symbol c) const {
    if (state == 0)
      return root_[c];
    auto first = edges_.begin() + edges_begin_[state];
    auto last = first + edges_len_[state];
    auto it = std::lower_bound(
        first, last, c, [](const std::pair<symbol, uint32_t>& e, symbol x) { return e.first < x; });
    return it != last && it->first == c ? it->second : 0;
  }

  // Build-time trie.
  std::vector<std::vector<std::pair<symbol, uint32_t>>> children_{1};
  std::vector<std::vector<uint32_t>> node_outputs_{1};

  // Scan-time tables (one entry per state unless noted).
  std::vector<uint32_t> root_;                     // dense transitions of the root, by symbol
  std::vector<std::pair<symbol, uint32_t>> edges_; // sorted per state
  std::vector<uint32_t> edges_begin_, edges_len_;
  std::vector<uint32_t> fail_;
  std::vector<uint32_t> dict_;    // nearest state on the failure chain with outputs
  std::vector<uint32_t> outputs_; // flat
  std::vector<uint32_t> outputs_begin_, outputs_len_;
  std::vector<uint32_t> lengths_; // by pattern id
};

} // namespace haven::crisis
