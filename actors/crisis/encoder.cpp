// lexicon_set::encode: the lexicon-aware half of normalization.
#include "actors/crisis/lexicon.hpp"

namespace haven::crisis {

namespace {

uint32_t tail3(std::string_view s) {
  auto c = [&](size_t k) {
    return static_cast<uint32_t>(static_cast<unsigned char>(s[s.size() - k]));
  };
  return c(3) << 16 | c(2) << 8 | c(1);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

constexpr size_t min_merge_run = 3;  // "s u i c i d e", "k.i.l.l"
constexpr size_t max_merge_run = 16; // longer than any word worth spelling out; bounds the work

} // namespace

uint8_t lexicon_set::prefix_flags(std::string_view prefix) const {
  for (const auto& p : prefixes_) // longest first; "" only for an empty prefix
    if (p.prefix.empty() ? prefix.empty() : prefix.substr(0, p.prefix.size()) == p.prefix)
      return p.flags;
  return 0;
}

bool lexicon_set::affix(std::string_view w, piece& out) const {
  if (w.size() < 3 || affixes_.empty())
    return false;
  auto it = affixes_.find(tail3(w));
  if (it == affixes_.end())
    return false;
  for (const auto& rule : it->second) { // longest suffix first
    if (!ends_with(w, rule.suffix))
      continue;
    std::string_view prefix = w.substr(0, w.size() - rule.suffix.size());
    bool is_stem = prefix.empty() && w == words_[rule.id]; // "kufa" itself is neutral
    out = piece{rule.id, is_stem ? uint8_t{0} : prefix_flags(prefix)};
    return true;
  }
  return false;
}

// Affixes see the word as written ("nitamuua" is not "nitamua"), the table its
// squeezed key; a squeezed word gets a second chance at the affixes ("nataaaka").
bool lexicon_set::lookup(std::string_view w, const piece*& first, size_t& n, piece& tmp) const {
  char buf[max_word_bytes * 2];
  if (w.size() > sizeof buf)
    return false;
  if (affix(w, tmp)) {
    first = &tmp;
    n = 1;
    return true;
  }
  std::string_view sq = squeeze(w, buf);
  if (const uint32_t* v = table_.find(sq)) {
    const entry& e = entries_[*v];
    first = expansion_.data() + e.begin;
    n = e.len;
    return true;
  }
  if (sq.size() != w.size() && affix(sq, tmp)) {
    first = &tmp;
    n = 1;
    return true;
  }
  return false;
}

bool lexicon_set::lookup_variants(const token_stream& ts, const word& w, const piece*& first,
                                  size_t& n, piece& tmp) const {
  std::string_view text = ts.text(w);
  if (lookup(text, first, n, tmp))
    return true;
  thread_local std::string alt;
  bool alpha = w.flags & word_flag::alpha;
  if (alpha && (w.flags & (word_flag::digit | word_flag::leet))) {
    size_t ones = count_ones(text);
    uint32_t readings = ones <= 3 ? 1u << ones : 2u; // all-i and all-l beyond three
    for (uint32_t mask = 0; mask < readings; ++mask) {
      uint32_t m = ones <= 3 ? mask : (mask ? ~0u : 0u);
      if (decode_leet(text, m, alt) && lookup(alt, first, n, tmp))
        return true;
    }
  }
  if (w.flags & word_flag::star) { // "k*ll", "su***de": one star per hidden letter
    char buf[max_word_bytes * 2];
    std::string_view sq = squeeze(text, buf);
    if (sq.size() >= by_length_.size())
      return false;
    for (uint32_t id : by_length_[sq.size()]) {
      const std::string& cand = words_[id];
      bool ok = true;
      for (size_t k = 0; k < sq.size() && ok; ++k)
        ok = sq[k] == '*' || sq[k] == cand[k];
      if (ok && lookup(cand, first, n, tmp))
        return true;
    }
  }
  return false;
}

void lexicon_set::encode(const token_stream& ts, std::vector<enc_token>& out) const {
  out.clear();
  uint32_t breakers = 0; // clause offsets added by breaker words ("but", "and")
  const auto& words = ts.words;
  auto emit = [&](const piece* first, size_t n, uint32_t wf, uint32_t wl) {
    for (size_t k = 0; k < n; ++k) {
      enc_token t;
      t.id = first[k].id;
      t.flags = first[k].flags;
      t.word_first = wf;
      t.word_last = wl;
      t.sentence = words[wf].sentence;
      if (has_bit(t.id, word_bit::breaker))
        ++breakers;
      t.clause = words[wf].clause + breakers;
      out.push_back(t);
    }
  };
  thread_local std::string merged;
  piece tmp{};
  const piece* first = nullptr;
  size_t n = 0;
  for (uint32_t i = 0; i < words.size(); ++i) {
    const word& w = words[i];
    if (w.norm_len == 1 && (w.flags & word_flag::alpha)) {
      uint32_t j = i;
      merged.clear();
      while (j < words.size() && j - i < max_merge_run && words[j].norm_len == 1 &&
             (words[j].flags & word_flag::alpha) && words[j].sentence == w.sentence)
        merged += ts.text(words[j++]);
      if (j - i >= min_merge_run && lookup(merged, first, n, tmp) && n > 0) {
        emit(first, n, i, j - 1);
        i = j - 1;
        continue;
      }
    }
    if (!lookup_variants(ts, w, first, n, tmp)) {
      bool number =
          (w.flags & word_flag::digit) && !(w.flags & (word_flag::alpha | word_flag::leet));
      piece unknown{number ? numeral_ : 0, 0}; // "took 40 pills": phrases say "numeral"
      emit(&unknown, 1, i, i);
      continue;
    }
    emit(first, n, i, i); // n == 0: a filler, dropped
  }
}

uint32_t lexicon_set::word_id(std::string_view w) const {
  piece tmp{};
  const piece* first = nullptr;
  size_t n = 0;
  token_stream ts;
  tokenize(w, ts);
  if (ts.words.size() != 1 || !lookup(ts.text(ts.words[0]), first, n, tmp) || n == 0)
    return 0;
  return first[0].id;
}

} // namespace haven::crisis
