#include "actors/crisis/scope.hpp"

#include <algorithm>

namespace haven::crisis {

namespace {

using match = aho_corasick::match;

constexpr uint32_t negation_reach = 5;      // words between a negation and what it negates
constexpr uint32_t post_negation_reach = 3; // "killing myself is not an option"
// Bounds the quadratic context checks on adversarial text ("kill myself" x 700
// in 8 KiB): past these counts the level is settled; later matches are ignored.
constexpr size_t max_signals = 256;
constexpr size_t max_cues = 1024;

namespace sflag {
constexpr uint8_t discussion = 1 << 0;
constexpr uint8_t hyperbole = 1 << 1;
constexpr uint8_t game = 1 << 2;
constexpr uint8_t quote = 1 << 3;
constexpr uint8_t help = 1 << 4;
} // namespace sflag

struct cue_hit {
  cue type;
  uint32_t begin, end, sentence, clause;
};

// A [first, last) pointer pair usable in a range-for.
struct cue_range {
  const cue_hit* first;
  const cue_hit* last;
  const cue_hit* begin() const { return first; }
  const cue_hit* end() const { return last; }
};
inline cue_range range(const cue_hit* first, const cue_hit* last) {
  return {first, last};
}

class judge {
 public:
  judge(const lexicon_set& lex, const std::vector<enc_token>& toks,
        const std::vector<uint8_t>& question)
      : lex_(lex), toks_(toks), question_(question), sflags_(question.size() + 1, 0) {}

  void run(const std::vector<match>& matches, std::vector<found_signal>& out) {
    std::vector<match> signals, idioms;
    for (const match& m : matches) {
      const pattern_info& p = lex_.pattern(m.pattern);
      if (p.kind == pattern_kind::signal) {
        if (signals.size() < max_signals)
          signals.push_back(m);
      } else if (p.kind == pattern_kind::idiom) {
        if (idioms.size() < max_cues)
          idioms.push_back(m);
      } else if (p.kind == pattern_kind::cue && cues_.size() < max_cues) {
        add_cue(p.cue_type, m);
      }
    }
    // Cues arrive by match end; order them by sentence so each signal looks at
    // its own sentence's cues only.
    std::stable_sort(cues_.begin(), cues_.end(),
                     [](const cue_hit& a, const cue_hit& b) { return a.sentence < b.sentence; });
    out.clear();
    for (const match& s : signals) {
      if (shadowed(s, signals, idioms))
        continue;
      out.push_back(found_signal{s.pattern, s.begin, s.end, modifier_of(s)});
    }
    std::stable_sort(out.begin(), out.end(), [](const found_signal& a, const found_signal& b) {
      return a.begin < b.begin;
    });
  }

 private:
  uint32_t sentence(uint32_t tok) const { return toks_[tok].sentence; }

  void add_cue(cue type, const match& m) {
    uint32_t s = sentence(m.begin);
    cues_.push_back(cue_hit{type, m.begin, m.end, s, toks_[m.begin].clause});
    if (s >= sflags_.size())
      return;
    switch (type) {
      case cue::discussion:
        sflags_[s] |= sflag::discussion;
        break;
      case cue::hyperbole:
        sflags_[s] |= sflag::hyperbole;
        break;
      case cue::game:
        sflags_[s] |= sflag::game;
        break;
      case cue::quote:
        sflags_[s] |= sflag::quote;
        break;
      case cue::help:
        sflags_[s] |= sflag::help;
        break;
      default:
        break;
    }
  }

  // The cues of sentence `sent`: [first, last).
  std::pair<const cue_hit*, const cue_hit*> in_sentence(uint32_t sent) const {
    auto lo = std::lower_bound(cues_.begin(), cues_.end(), sent,
                               [](const cue_hit& c, uint32_t x) { return c.sentence < x; });
    auto hi = std::upper_bound(lo, cues_.end(), sent,
                               [](uint32_t x, const cue_hit& c) { return x < c.sentence; });
    return {cues_.data() + (lo - cues_.begin()), cues_.data() + (hi - cues_.begin())};
  }

  static bool overlaps(const match& a, const match& b) {
    return a.begin < b.end && b.begin < a.end;
  }
  static bool contains(const match& outer, const match& inner) {
    return outer.begin <= inner.begin && inner.end <= outer.end;
  }

  bool shadowed(const match& s, const std::vector<match>& signals,
                const std::vector<match>& idioms) const {
    for (const match& i : idioms)
      if (overlaps(s, i) && !contains(s, i))
        return true;
    const pattern_info& ps = lex_.pattern(s.pattern);
    for (const match& t : signals) {
      if (!contains(t, s) || t.end - t.begin <= s.end - s.begin)
        continue;
      category outer = lex_.pattern(t.pattern).cat;
      bool absorbed = outer == ps.cat || ps.cat == category::means || (ps.tags & tag::topic) ||
                      (ps.cat == category::timeline &&
                       (outer == category::hopelessness || outer == category::means));
      if (absorbed)
        return true;
    }
    return false;
  }

  bool any_flag(const match& s, uint8_t flag) const {
    for (uint32_t k = s.begin; k < s.end; ++k)
      if (toks_[k].flags & flag)
        return true;
    return false;
  }

  // A Swahili negation cue folded by an affix rule ("sijafikiria" -> kufikiria) also
  // matches the positive forms ("nafikiria"): those carry a person but no negation.
  bool really_negative(const cue_hit& c) const {
    bool person = false, negative = false;
    for (uint32_t k = c.begin; k < c.end; ++k) {
      person |= (toks_[k].flags & (token_flag::self | token_flag::other)) != 0;
      negative |= (toks_[k].flags & token_flag::negated) != 0;
    }
    return negative || !person;
  }

  bool negated(const match& s) const {
    if (any_flag(s, token_flag::negated))
      return true;
    uint32_t sent = sentence(s.begin);
    auto [first, last] = in_sentence(sent);
    for (const cue_hit& c : range(first, last)) {
      if (c.type != cue::negation || c.end > s.begin || s.begin - c.end > negation_reach ||
          !really_negative(c))
        continue;
      bool through = true;
      for (uint32_t k = c.end; k < s.begin && through; ++k)
        through = lex_.has_bit(toks_[k].id, word_bit::transparent);
      if (through)
        return true;
    }
    for (const cue_hit& c : range(first, last))
      if (c.type == cue::post_negation && c.begin >= s.end &&
          c.begin - s.end <= post_negation_reach)
        return true;
    return false;
  }

  // The nearest first-person or third-party cue ending at or before `pos` in
  // `sent` (the longest one when several end at the same place), or nullptr.
  const cue_hit* subject_before(uint32_t pos, uint32_t sent) const {
    const cue_hit* best = nullptr;
    auto [first, last] = in_sentence(sent);
    for (const cue_hit& c : range(first, last)) {
      if ((c.type != cue::first_person && c.type != cue::third_party) || c.end > pos)
        continue;
      if (!best || c.end > best->end || (c.end == best->end && c.begin < best->begin))
        best = &c;
    }
    return best;
  }

  // third_party, or none with `self` set when the writer is the explicit subject.
  modifier subject(const match& s, bool& self) const {
    self = false;
    if (any_flag(s, token_flag::other) || (lex_.pattern(s.pattern).tags & tag::other))
      return modifier::third_party;
    uint32_t sent = sentence(s.begin);
    const cue_hit* report = nullptr;
    auto [first, last] = in_sentence(sent);
    for (const cue_hit& c : range(first, last))
      if (c.type == cue::reporting && c.end <= s.begin && (!report || c.end > report->end))
        report = &c;
    if (report) {
      if (const cue_hit* who = subject_before(report->begin, sent)) {
        if (who->type == cue::third_party)
          return modifier::third_party;
        self = true;
        return modifier::none;
      }
    }
    if ((lex_.pattern(s.pattern).tags & tag::self_ref) || any_flag(s, token_flag::self)) {
      self = true;
      return modifier::none;
    }
    if (const cue_hit* who = subject_before(s.begin, sent)) {
      if (who->type == cue::third_party)
        return modifier::third_party;
      self = true;
    }
    return modifier::none;
  }

  bool cue_in_clause(cue type, const match& s, bool before_only) const {
    uint32_t clause = toks_[s.begin].clause;
    auto [first, last] = in_sentence(sentence(s.begin)); // a clause lies within its sentence
    for (const cue_hit& c : range(first, last))
      if (c.type == type && c.clause == clause && (!before_only || c.end <= s.begin))
        return true;
    return false;
  }

  modifier modifier_of(const match& s) const {
    const pattern_info& p = lex_.pattern(s.pattern);
    uint32_t sent = sentence(s.begin);
    uint8_t here = sent < sflags_.size() ? sflags_[sent] : 0;
    uint8_t before = sent > 0 && sent - 1 < sflags_.size() ? sflags_[sent - 1] : 0;
    if (negated(s))
      return modifier::negated;
    if ((here | before) & sflag::quote)
      return modifier::discussion;
    if (((p.tags & tag::hyperbole) && (here & (sflag::hyperbole | sflag::game))) ||
        (p.cat == category::harm_to_others && (here & sflag::game)))
      return modifier::hyperbole;
    bool self = false;
    bool topic = p.tags & tag::topic;
    // Means and timelines belong to whoever has the ideation: "I have my dad's
    // gun" names the father, but the gun is within the writer's reach.
    bool context = p.cat == category::means || p.cat == category::timeline;
    if (!context && subject(s, self) == modifier::third_party)
      return (here & sflag::discussion) ? modifier::discussion : modifier::third_party;
    if ((here & sflag::help) && (topic || !self))
      return modifier::hypothetical; // asking about help: low, resources shown
    if ((here & sflag::discussion) && (topic || !self))
      return modifier::discussion;
    if (topic && !self && sent < question_.size() && question_[sent])
      return modifier::hypothetical;
    if (cue_in_clause(cue::hypothetical, s, true))
      return modifier::hypothetical;
    if (cue_in_clause(cue::history, s, false))
      return modifier::history;
    return modifier::none;
  }

  const lexicon_set& lex_;
  const std::vector<enc_token>& toks_;
  const std::vector<uint8_t>& question_;
  std::vector<uint8_t> sflags_;
  std::vector<cue_hit> cues_;
};

} // namespace

void judge_signals(const lexicon_set& lex, const std::vector<enc_token>& toks,
                   const std::vector<uint8_t>& question, const std::vector<match>& matches,
                   std::vector<found_signal>& out) {
  judge{lex, toks, question}.run(matches, out);
}

} // namespace haven::crisis
