// lexicon_builder, phase 1: the word-level rules.
#include "actors/crisis/lexicon_builder.hpp"

namespace haven::crisis {

bool lexicon_builder::parse_names(const std::string& s,
                                  std::initializer_list<std::pair<const char*, uint8_t>> names,
                                  uint8_t& out) {
  out = 0;
  size_t start = 0;
  for (;;) {
    size_t comma = s.find(',', start);
    std::string item =
        s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    bool known = false;
    for (const auto& n : names) {
      if (item == n.first) {
        out |= n.second;
        known = true;
      }
    }
    if (!known)
      return false;
    if (comma == std::string::npos)
      return true;
    start = comma + 1;
  }
}

std::string lexicon_builder::one_word(const std::string& text) {
  token_stream ts;
  tokenize(text, ts);
  if (ts.words.size() != 1)
    return {};
  char buf[max_word_bytes * 2];
  return std::string{squeeze(ts.text(ts.words[0]), buf)};
}

std::string lexicon_builder::add_spelling_keys(const tsv_file& f) {
  for (const auto& line : f.lines) {
    if (line.fields.size() < 2 || line.fields.size() > 3)
      return at(f, line, "expected word<TAB>replacement[<TAB>flags]");
    std::string key = one_word(line.fields[0]);
    if (key.empty())
      return at(f, line, "the misspelling must be one word");
    if (lex_->table_.find(key))
      return at(f, line, "duplicate misspelling \"" + key + "\"");
    lex_->entries_.push_back(entry{0, 0xFFFF}); // pending: resolved by add_spelling_targets
    lex_->table_.insert(key, static_cast<uint32_t>(lex_->entries_.size() - 1));
  }
  return {};
}

std::string lexicon_builder::add_fillers(const tsv_file& f) {
  for (const auto& line : f.lines) {
    if (line.fields.empty() || line.fields[0] != "filler")
      continue;
    std::string key = line.fields.size() == 2 ? one_word(line.fields[1]) : "";
    if (key.empty())
      return at(f, line, "expected filler<TAB>word");
    if (lex_->table_.find(key))
      return at(f, line, "\"" + key + "\" is already a word rule");
    lex_->entries_.push_back(entry{0, 0});
    lex_->table_.insert(key, static_cast<uint32_t>(lex_->entries_.size() - 1));
  }
  return {};
}

std::string lexicon_builder::add_spelling_targets(const tsv_file& f) {
  for (const auto& line : f.lines) {
    uint8_t flags = 0;
    if (line.fields.size() == 3 && !parse_person(line.fields[2], flags))
      return at(f, line, "unknown flag in \"" + line.fields[2] + "\" (self, other)");
    token_stream ts;
    tokenize(line.fields[1], ts);
    if (ts.words.empty() || ts.words.size() > 8)
      return at(f, line, "the replacement must be 1 to 8 words");
    std::vector<piece> pieces;
    for (const auto& w : ts.words) {
      char buf[max_word_bytes * 2];
      std::string err;
      uint32_t id = intern(squeeze(ts.text(w), buf), err);
      if (!err.empty())
        return at(f, line, err);
      pieces.push_back(piece{id, flags});
    }
    entry& e = lex_->entries_[*lex_->table_.find(one_word(line.fields[0]))];
    e.begin = static_cast<uint32_t>(lex_->expansion_.size());
    e.len = static_cast<uint16_t>(pieces.size());
    lex_->expansion_.insert(lex_->expansion_.end(), pieces.begin(), pieces.end());
  }
  return {};
}

std::string lexicon_builder::add_affixes(const tsv_file& f) {
  for (const auto& line : f.lines) {
    if (line.fields.size() != 3 || (line.fields[0] != "suffix" && line.fields[0] != "prefix"))
      return at(f, line, "expected suffix<TAB>ending<TAB>stem or prefix<TAB>start<TAB>flags");
    std::string part = line.fields[1]; // affixes match the word as written
    if (line.fields[0] == "prefix") {
      uint8_t flags = 0;
      if (!parse_person(line.fields[2], flags))
        return at(f, line,
                  "unknown flag in \"" + line.fields[2] + "\" (self, other, negated, neutral)");
      // "-" is the empty start: a bare stem ("jiue!") is an imperative to someone else.
      lex_->prefixes_.push_back(lexicon_set::person_prefix{part == "-" ? "" : part, flags});
      continue;
    }
    std::string stem = one_word(line.fields[2]);
    token_stream ts;
    tokenize(part, ts);
    if (part.size() < 3 || ts.words.size() != 1 || ts.text(ts.words[0]) != part || stem.empty())
      return at(f, line, "a suffix is one word of 3 or more letters, the stem one word");
    std::string err;
    uint32_t id = intern(stem, err);
    if (!err.empty())
      return at(f, line, err);
    uint32_t key = static_cast<uint32_t>(static_cast<unsigned char>(part[part.size() - 3])) << 16 |
                   static_cast<uint32_t>(static_cast<unsigned char>(part[part.size() - 2])) << 8 |
                   static_cast<unsigned char>(part.back());
    lex_->affixes_[key].push_back(lexicon_set::affix_rule{part, id});
  }
  return {};
}

std::string lexicon_builder::add_word_bits(const tsv_file& f) {
  for (const auto& line : f.lines) {
    if (line.fields.size() != 2 || (line.fields[0] != "transparent" && line.fields[0] != "breaker"))
      continue;
    std::vector<uint32_t> ids;
    uint8_t flags = 0;
    std::string err = encode(line.fields[1], ids, flags);
    if (!err.empty())
      return at(f, line, err);
    lex_->bits_.resize(lex_->words_.size(), 0);
    for (uint32_t id : ids)
      lex_->bits_[id] |= line.fields[0] == "breaker" ? word_bit::breaker : word_bit::transparent;
  }
  return {};
}

} // namespace haven::crisis
