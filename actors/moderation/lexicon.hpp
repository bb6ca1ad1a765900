#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "actors/moderation/categories.hpp"

// The compiled moderation lexicon, in two layers so that templates like
// "{i_will} {harm} {target}" stay small (no cartesian expansion):
// - a trie of set items over word ids: where an item of set S occurs, the
//   text gets symbol S spanning its words (a lattice of symbols);
// - a trie of phrases over symbols (word ids and set symbols), with one-word
//   `*` and 0-4 word `~` wildcards.
// Plus the cue words for negation and reported speech. Words are normalized
// by the crisis detector's tokenizer (actors/crisis/normalize.hpp), so both
// detectors read text the same way. Built once at start-up
// (lexicon_loader.hpp) and then only read: share it as
// std::shared_ptr<const lexicon> between threads.

namespace haven::moderation {

struct lexicon_entry {
  enum class kind : uint8_t {
    match, ///< adds `weight` to `cat`
    idiom, ///< suppresses every hit of `cat` (all categories if `any`) it overlaps
  };
  kind type = kind::match;
  category cat = category::violence_threat;
  bool any = false;
  uint8_t locale = 0; // index into lexicon::locales()
  float weight = 0;
  uint32_t line = 0; // source line, for diagnostics
};

class lexicon {
 public:
  static constexpr uint32_t unknown_word = 0;
  static constexpr uint32_t any_word = 1; // `*`
  static constexpr uint32_t gap = 2;      // `~`: 0..max_gap words
  static constexpr uint32_t first_word = 3;
  static constexpr size_t max_gap = 4;
  static constexpr uint32_t first_set = 0x40000000u; // set symbols: first_set + n

  struct node {
    uint32_t any_child = 0; // 0: none (the root is never a child)
    uint32_t gap_child = 0;
    std::vector<uint32_t> entries; // phrases ending here
  };

  lexicon();
  lexicon(const lexicon&) = delete; // the vocabulary holds views into words_
  lexicon& operator=(const lexicon&) = delete;

  /// The id of a normalized word, or unknown_word.
  uint32_t word_id(std::string_view w) const;
  /// The id of the word whose squeezed key (crisis::squeeze: every run of a
  /// letter cut to one, "kill" -> "kil") is `key`, or unknown_word.
  uint32_t squeezed_id(std::string_view key) const;

  bool is_negation(uint32_t id) const { return id < flags_.size() && (flags_[id] & negation_flag); }
  bool is_report(uint32_t id) const { return id < flags_.size() && (flags_[id] & report_flag); }

  const node& root() const { return nodes_[0]; }
  const node& at(uint32_t n) const { return nodes_[n]; }
  /// The child of `n` along symbol `sym` (a word id or a set symbol), or 0.
  uint32_t child(uint32_t n, uint32_t sym) const;

  /// The set-item trie: child along a word id (0: none; 0 is its root) and
  /// the set symbols of the items ending at a node.
  uint32_t item_child(uint32_t n, uint32_t word) const;
  const std::vector<uint32_t>& item_sets(uint32_t n) const { return items_[n].entries; }
  bool has_sets() const { return items_.size() > 1; }

  const std::vector<lexicon_entry>& entries() const { return entries_; }
  const std::vector<std::string>& locales() const { return locales_; }
  /// Index of a locale, or -1 if the lexicon has no entry for it.
  int locale_index(std::string_view name) const;
  size_t phrase_count() const { return phrases_; }

  // Building (lexicon_loader.cpp); not for use after start-up.
  uint32_t intern(std::string_view w);
  uint8_t intern_locale(std::string_view name);
  uint32_t add_entry(const lexicon_entry& e);
  /// Adds a phrase of symbols (any_word / gap allowed, not first or last).
  void add_phrase(const std::vector<uint32_t>& syms, uint32_t entry);
  /// A new, empty set; returns its symbol.
  uint32_t add_set();
  /// Adds one item (a word sequence) to the set with symbol `set`.
  void add_set_item(const std::vector<uint32_t>& words, uint32_t set);
  void mark_negation(uint32_t id) { flag(id, negation_flag); }
  void mark_report(uint32_t id) { flag(id, report_flag); }

 private:
  static constexpr uint8_t negation_flag = 1;
  static constexpr uint8_t report_flag = 2;

  void flag(uint32_t id, uint8_t f);

  std::deque<std::string> words_; // stable storage for the keys of vocab_ and squeezed_
  std::unordered_map<std::string_view, uint32_t> vocab_;
  std::unordered_map<std::string_view, uint32_t> squeezed_; // first word of a key wins
  std::vector<uint8_t> flags_;
  std::vector<node> nodes_;
  std::unordered_map<uint64_t, uint32_t> edges_; // (node << 32 | symbol) -> node
  std::vector<node> items_;                      // set-item trie (entries: set symbols)
  std::unordered_map<uint64_t, uint32_t> item_edges_;
  uint32_t sets_ = 0;
  std::vector<lexicon_entry> entries_;
  std::vector<std::string> locales_;
  size_t phrases_ = 0;
};

} // namespace haven::moderation
