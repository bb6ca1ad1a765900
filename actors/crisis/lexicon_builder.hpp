#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <unordered_set>

#include "actors/crisis/lexicon.hpp"
#include "actors/crisis/tsv.hpp"

// Compiles parsed data files into a lexicon_set. Word-level rules come first
// (misspellings, fillers, affixes, transparent and breaker words) because the
// phrases are encoded with them, exactly as message text will be. Every add_*
// returns "" or one error line naming the file and line.

namespace haven::crisis {

class lexicon_builder {
 public:
  lexicon_builder();

  uint8_t add_locale(const std::string& name);

  // Phase 1: word-level rules, all locales.
  std::string add_spelling_keys(const tsv_file& f);
  std::string add_fillers(const tsv_file& context);
  std::string add_spelling_targets(const tsv_file& f);
  std::string add_affixes(const tsv_file& f);
  std::string add_word_bits(const tsv_file& negations);

  // Phase 2: phrases.
  std::string add_cues(const tsv_file& f, uint8_t locale);
  std::string add_idioms(const tsv_file& f, uint8_t locale);
  std::string add_signals(const tsv_file& f, uint8_t locale);
  std::string add_classes(const tsv_file& f, uint8_t locale);

  /// Adds the learned second opinion (model.hpp) to the set.
  void set_model(std::shared_ptr<const crisis_model> m, const model_policy& p) {
    lex_->model_ = std::move(m);
    lex_->policy_ = p;
  }

  /// Builds the automaton; the builder is spent afterwards.
  std::shared_ptr<const lexicon_set> finish();

  /// "file:line: msg", the form of every load error.
  static std::string at(const tsv_file& f, const tsv_line& line, const std::string& msg);

 private:
  using entry = lexicon_set::entry;
  using piece = lexicon_set::piece;

  uint32_t new_word(std::string_view squeezed);
  // The id of a squeezed word that must stay a plain word; 0 and `err` if it is a
  // misspelling or filler key.
  uint32_t intern(std::string_view squeezed, std::string& err);
  // Encodes phrase text as message text would be; unknown words are added.
  std::string encode(const std::string& text, std::vector<uint32_t>& ids, uint8_t& flags);
  // Expands and encodes every phrase of `line.fields[0]` as a pattern like `proto`.
  std::string add_phrases(const tsv_file& f, const tsv_line& line, const macro_table& macros,
                          pattern_info proto);
  // Comma-separated names -> bits; false on an unknown name.
  static bool parse_names(const std::string& s,
                          std::initializer_list<std::pair<const char*, uint8_t>> names,
                          uint8_t& out);
  // The one normalized, squeezed word of `text`, or "" if it is not one word.
  static std::string one_word(const std::string& text);
  static bool parse_person(const std::string& s, uint8_t& out) {
    return parse_names(s,
                       {{"self", token_flag::self},
                        {"other", token_flag::other},
                        {"negated", token_flag::negated},
                        {"neutral", 0}},
                       out);
  }

  std::shared_ptr<lexicon_set> lex_;
  std::unordered_set<uint32_t> first_person_;
};

} // namespace haven::crisis
