#include "actors/crisis/scorer.hpp"

#include <algorithm>

#include "actors/crisis/clause_rules.hpp"
#include "actors/crisis/levels.hpp"
#include "actors/crisis/scope.hpp"

namespace haven::crisis {

namespace {

// Reused between calls on one thread: scoring a message allocates only for
// the signals it returns.
struct scratch {
  token_stream ts;
  std::vector<enc_token> toks;
  std::vector<uint32_t> ids;
  std::vector<aho_corasick::match> matches;
  std::vector<found_signal> found;
  std::vector<uint32_t> act_clauses;
  std::vector<uint32_t> act_sentences;
  clause_outcome clauses;
};

// The writer's own words for tokens [begin, end): fillers between them are
// left out, an expanded word ("kms" -> kill myself) is quoted once.
std::string evidence(std::string_view text, const token_stream& ts,
                     const std::vector<enc_token>& toks, uint32_t begin, uint32_t end) {
  std::string ev;
  uint32_t next_word = 0;
  for (uint32_t k = begin; k < end; ++k) {
    for (uint32_t w = std::max(toks[k].word_first, next_word); w <= toks[k].word_last; ++w) {
      const word& wd = ts.words[w];
      if (!ev.empty())
        ev += ' ';
      ev.append(text.substr(wd.src_begin, wd.src_len));
      next_word = w + 1;
    }
  }
  return ev;
}

bool contains(const std::vector<uint32_t>& v, uint32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// A timeline's own clause holds an act; one with its own verb ("do it tonight")
// may sit anywhere in the act's sentence.
bool near_act(const scratch& s, const pattern_info& p, const enc_token& t) {
  return contains(s.act_clauses, t.clause) ||
         ((p.tags & tag::sentence) && contains(s.act_sentences, t.sentence));
}

bool acts(const pattern_info& p) {
  return p.cat == category::ideation || p.cat == category::intent || p.cat == category::plan ||
         p.cat == category::harm_to_others || p.cat == category::self_harm;
}

bool same_signal(const risk_signal& a, const risk_signal& b) {
  return a.cat == b.cat && a.mod == b.mod && a.evidence == b.evidence;
}

} // namespace

assessment score(const lexicon_set& lex, std::string_view text, std::string_view /*locale*/) {
  thread_local scratch s;
  tokenize(text, s.ts);
  lex.encode(s.ts, s.toks);
  s.ids.resize(s.toks.size());
  for (size_t i = 0; i < s.toks.size(); ++i)
    s.ids[i] = s.toks[i].id;
  s.matches.clear();
  lex.matcher().scan(s.ids.data(), s.ids.size(),
                     [&](const aho_corasick::match& m) { s.matches.push_back(m); });
  judge_signals(lex, s.toks, s.ts.question, s.matches, s.found);
  analyze_clauses(lex, s.toks, s.ts.question, s.matches, s.found, s.clauses);

  // A timeline counts next to what it times: in the clause of an ideation,
  // intent, plan or threat ("I'll kill myself tonight"; see near_act), or in a
  // message with none (for the session's trajectory), not in "I want to die,
  // exam tomorrow".
  bool any_act = false;
  s.act_clauses.clear();
  s.act_sentences.clear();
  for (const found_signal& f : s.found) {
    const pattern_info& p = lex.pattern(f.pattern);
    if (f.mod == modifier::none && acts(p)) {
      any_act = true;
      s.act_clauses.push_back(s.toks[f.begin].clause);
      s.act_sentences.push_back(s.toks[f.begin].sentence);
    }
  }
  assessment a;
  uint16_t counting = 0, other = 0, floor = 0;
  double keep = 1.0, keep_floor = 1.0; // products of (1 - weight)
  for (const found_signal& f : s.found) {
    const pattern_info& p = lex.pattern(f.pattern);
    risk_signal sig;
    sig.cat = p.cat;
    sig.evidence = evidence(text, s.ts, s.toks, f.begin, f.end);
    sig.weight = p.weight;
    sig.mod = f.mod;
    sig.passive = p.tags & tag::passive;
    sig.attempt = p.tags & tag::attempt;
    auto dup = std::find_if(a.signals.begin(), a.signals.end(),
                            [&](const risk_signal& x) { return same_signal(x, sig); });
    if (dup != a.signals.end()) {
      if (dup->weight >= sig.weight)
        continue; // the same words listed twice (e.g. in two locales)
      dup->weight = sig.weight;
    } else {
      a.signals.push_back(sig);
    }
    switch (f.mod) {
      case modifier::none:
        if (p.cat == category::timeline && any_act && !near_act(s, p, s.toks[f.begin]))
          break;
        counting |= features_of(p);
        keep *= 1.0 - p.weight;
        break;
      case modifier::third_party:
      case modifier::history:
      case modifier::hypothetical:
        if (p.cat == category::means || p.cat == category::timeline)
          break; // "my sister is visiting this weekend" is no concern
        if (f.mod == modifier::third_party)
          other |= features_of(p);
        floor = feature::floor_low;
        keep_floor *= 1.0 - p.weight;
        break;
      default:
        break; // negated, discussion, hyperbole: listed, not counted
    }
  }
  // The clause rules' findings, shown as signals of the writer's words.
  for (const clause_evidence& e : s.clauses.evidence) {
    risk_signal sig;
    sig.cat = e.cat;
    sig.evidence = evidence(text, s.ts, s.toks, e.begin, e.end);
    sig.weight = 0.8;
    sig.attempt = s.clauses.add & feature::attempt;
    if (std::none_of(a.signals.begin(), a.signals.end(),
                     [&](const risk_signal& x) { return same_signal(x, sig); }))
      a.signals.push_back(std::move(sig));
  }
  if (s.clauses.add) {
    counting |= s.clauses.add;
    keep *= 0.2;
  }
  a.features = counting | floor;
  a.level = level_from_features(a.features);
  if (a.level > s.clauses.cap && !(a.features & feature::attempt)) {
    a.level = s.clauses.cap;
    // The features say no more than the level, or the session trajectory would map them
    // back up ("thinking about my pills, haven't decided" must not become critical there).
    using namespace feature;
    if (a.level == risk_level::high)
      a.features &= static_cast<uint16_t>(~(plan | means | timeline));
    else
      a.features = static_cast<uint16_t>((a.features & ~(active | self_harm | harm_others | plan)) |
                                         passive);
  }
  a.concern_for_other = other != 0 || s.clauses.other_now;
  a.accident = s.clauses.accident;
  // Means and timelines count for whoever has the ideation, the other person too.
  a.other_level =
      other ? level_from_features(other | (counting & (feature::means | feature::timeline)))
            : risk_level::none;
  // Someone else at risk now (API.md §4): high, so a counselor helps the writer act.
  if (s.clauses.other_now) {
    a.other_person = true;
    a.other_level = std::max(a.other_level, risk_level::high);
    a.level = std::max(a.level, risk_level::high);
  }
  double strength =
      (counting & ~feature::means & ~feature::timeline) ? 1.0 - keep : 1.0 - keep_floor;
  a.score = score_in_band(a.level, strength);
  // The learned second opinion (model.hpp): may raise what the rules left low,
  // and lower only what it is sure is not about the writer's own risk.
  if (const crisis_model* m = lex.model()) {
    const assessment rules = a.features & feature::self_harm ? a : assessment{};
    apply_model(m->predict(text), lex.policy(), a);
    // Self-harm the rules read as the writer's act and its injury, with no ordinary cause (the
    // accident class already dropped those), is never lowered: round 6's "bit my arm so hard it
    // bled because i messed up dinner" was lowered to low at P(notme) >= 0.8.
    if ((rules.features & feature::self_harm) && a.level < rules.level)
      a = rules;
  }
  return a;
}

} // namespace haven::crisis
