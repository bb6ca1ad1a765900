#include "actors/moderation/matcher.hpp"

namespace haven::moderation {

namespace {

bool known_word(uint32_t id) {
  return token_ids::is_word(id) && id != lexicon::unknown_word;
}

void build_lattice(const lexicon& lex, token_ids& t) {
  const auto n = static_cast<uint32_t>(t.ids.size());
  t.offset.assign(n + 1, 0);
  t.syms.clear();
  for (uint32_t p = 0; p < n; ++p) {
    t.offset[p] = static_cast<uint32_t>(t.syms.size());
    if (!known_word(t.ids[p]))
      continue;
    t.syms.emplace_back(t.ids[p], p + 1);
    uint32_t node = 0;
    for (uint32_t q = p; q < n && known_word(t.ids[q]); ++q) {
      node = lex.item_child(node, t.ids[q]);
      if (node == 0)
        break;
      for (uint32_t set : lex.item_sets(node))
        t.syms.emplace_back(set, q + 1);
    }
  }
  t.offset[n] = static_cast<uint32_t>(t.syms.size());
}

uint32_t lookup_one(const lexicon& lex, std::string_view text) {
  if (uint32_t id = lex.word_id(text); id != lexicon::unknown_word)
    return id;
  char buf[crisis::max_word_bytes * 2];
  if (text.size() > sizeof buf)
    return lexicon::unknown_word;
  return lex.squeezed_id(crisis::squeeze(text, buf));
}

uint32_t lookup(const lexicon& lex, std::string_view text, uint8_t flags, std::string& scratch) {
  if (uint32_t id = lookup_one(lex, text); id != lexicon::unknown_word)
    return id;
  const bool mixed = (flags & crisis::word_flag::alpha) &&
                     (flags & (crisis::word_flag::digit | crisis::word_flag::leet));
  if (!mixed)
    return lexicon::unknown_word;
  for (uint32_t ones_as_l : {0u, ~0u}) { // "k1ll": 1 read as i, then as l
    if (!crisis::decode_leet(text, ones_as_l, scratch))
      break;
    if (uint32_t id = lookup_one(lex, scratch); id != lexicon::unknown_word)
      return id;
  }
  return lexicon::unknown_word;
}

struct state {
  uint32_t node;
  uint32_t pos;
  bool negated;
};

} // namespace

void to_ids(const lexicon& lex, const crisis::token_stream& ts, token_ids& out) {
  out.ids.clear();
  out.ids.reserve(ts.words.size() + ts.words.size() / 4);
  std::string leet;
  for (size_t i = 0; i < ts.words.size(); ++i) {
    const crisis::word& w = ts.words[i];
    if (i > 0 && w.sentence != ts.words[i - 1].sentence)
      out.ids.push_back(token_ids::strong_break);
    else if (i > 0 && w.clause != ts.words[i - 1].clause)
      out.ids.push_back(token_ids::weak_break);
    out.ids.push_back(lookup(lex, ts.text(w), w.flags, leet));
  }
  build_lattice(lex, out);
}

void find_hits(const lexicon& lex, const token_ids& t, std::vector<phrase_hit>& out) {
  const auto& ids = t.ids;
  const auto n = static_cast<uint32_t>(ids.size());
  std::vector<state> stack;
  auto push_symbols = [&](uint32_t node, uint32_t pos, bool negated) {
    if (pos >= n)
      return;
    for (uint32_t k = t.offset[pos]; k < t.offset[pos + 1]; ++k)
      if (uint32_t c = lex.child(node, t.syms[k].first); c != 0)
        stack.push_back({c, t.syms[k].second, negated});
  };
  for (uint32_t start = 0; start < n; ++start) {
    stack.clear();
    push_symbols(0, start, false); // phrases start with a word or a set, never a wildcard
    while (!stack.empty()) {
      const state s = stack.back();
      stack.pop_back();
      const auto& nd = lex.at(s.node);
      for (uint32_t e : nd.entries)
        out.push_back({e, start, s.pos, s.negated});
      push_symbols(s.node, s.pos, s.negated);
      if (nd.any_child != 0 && s.pos < n && token_ids::is_word(ids[s.pos]))
        stack.push_back({nd.any_child, s.pos + 1, s.negated || lex.is_negation(ids[s.pos])});
      if (nd.gap_child != 0) {
        // The gap node's own edges are tried after 0..max_gap skipped words.
        bool negated = s.negated;
        for (uint32_t k = 0; k <= lexicon::max_gap && s.pos + k <= n; ++k) {
          if (k > 0) {
            const uint32_t skipped = ids[s.pos + k - 1];
            if (!token_ids::is_word(skipped))
              break;
            negated = negated || lex.is_negation(skipped);
          }
          stack.push_back({nd.gap_child, s.pos + k, negated});
        }
      }
    }
  }
}

} // namespace haven::moderation
