#include "actors/crisis/clause_rules.hpp"

#include <algorithm>
#include <array>

namespace haven::crisis {

namespace {

using match = aho_corasick::match;

constexpr size_t max_hits = 512; // bounds the pairwise checks on adversarial text
constexpr uint32_t negation_reach = 4;
// A history cue ("used to", "years ago") after a hit makes it past only this close: "took an
// overdose two years ago" is history, "on the pier where we used to fish" is not.
constexpr uint32_t history_reach = 1;

struct cue_hit {
  cue type;
  uint32_t begin, end, sentence, clause;
};

struct class_hit {
  wclass cls;
  uint32_t begin, end, sentence, clause;
  uint8_t phrase_flags = 0; // token_flag bits the phrase was written with
  bool negated = false;
  bool other = false; // about someone else
  bool past = false;  // a history cue in its clause
};

size_t idx(wclass c) {
  return static_cast<size_t>(c);
}

class analysis {
 public:
  analysis(const lexicon_set& lex, const std::vector<enc_token>& toks,
           const std::vector<uint8_t>& question)
      : lex_(lex), toks_(toks), question_(question), cues_(buffers().cues), hits_(buffers().hits),
        screen_(buffers().screen), quote_(buffers().quote), jest_(buffers().jest),
        past_(buffers().past), disc_(buffers().disc), self_(buffers().self),
        accident_(buffers().accident), ordinary_(buffers().ordinary) {
    cues_.clear();
    hits_.clear();
  }

  void run(const std::vector<match>& matches, std::vector<found_signal>& found,
           clause_outcome& out) {
    for (const match& m : matches) {
      const pattern_info& p = lex_.pattern(m.pattern);
      if (p.kind == pattern_kind::cue && cues_.size() < max_hits)
        cues_.push_back(
            cue_hit{p.cue_type, m.begin, m.end, toks_[m.begin].sentence, toks_[m.begin].clause});
      else if (p.kind == pattern_kind::word_class && hits_.size() < max_hits)
        hits_.push_back(class_hit{p.cls, m.begin, m.end, toks_[m.begin].sentence,
                                  toks_[m.begin].clause, p.phrase_flags});
    }
    if (hits_.empty())
      return;
    uint32_t sentences = toks_.empty() ? 0 : toks_.back().sentence + 1;
    screen_.assign(sentences + 1, 0);
    past_.assign(sentences + 1, 0);
    disc_.assign(sentences + 1, 0);
    self_.assign(sentences + 1, 0);
    for (const cue_hit& c : cues_)
      if (c.type == cue::first_person || c.type == cue::self_word)
        self_[c.sentence] = 1;
    // A discussion cue ("lecture", "article") makes a sentence's class hits not the writer's,
    // unless the writer is in it ("bit my arm till it bled during the lecture").
    for (const cue_hit& c : cues_)
      if (c.type == cue::discussion && !self_[c.sentence])
        disc_[c.sentence] = 1;
    // Training and ordinary care with medicines ("we role played a resident with pills saved up",
    // "counting out mum's pills into the weekly organizer"): the sentence's class hits are not the
    // writer's risk, and neither are some of its signals (apply_rules).
    ordinary_.assign(sentences + 1, 0);
    for (const class_hit& h : hits_)
      if (h.cls == wclass::study)
        disc_[h.sentence] = 1;
      else if (h.cls == wclass::training || h.cls == wclass::routine) {
        if (h.cls == wclass::training)
          disc_[h.sentence] = 1;
        ordinary_[h.sentence] |= h.cls == wclass::training ? 1 : 2;
        any_ordinary_ = true;
      }
    for (const class_hit& h : hits_)
      if (h.cls == wclass::past)
        past_[h.sentence] = 1;
    quote_.assign(sentences + 1, 0);
    jest_.assign(sentences + 1, 0);
    for (class_hit& h : hits_) {
      judge(h);
      if (h.cls == wclass::screen)
        screened_ = true;
      if (h.cls == wclass::denial)
        denied_ = true;
      if (h.cls == wclass::screen || h.cls == wclass::denial)
        screen_[h.sentence] = 1;
      if (h.cls == wclass::quote) {
        quote_[h.sentence] = 1;
        quote_[h.sentence + 1] = 1; // the quoted line often follows its frame
      }
      if (h.cls == wclass::hyperbole) {
        jest_[h.sentence] = 3;      // the signals and the class hits of the sentence,
        jest_[h.sentence + 1] |= 3; // and of the next ("skydiving tomorrow!! jumping out of ...")
      }
      if (h.cls == wclass::laugh)
        jest_[h.sentence] |= 1; // the class hits only ("kms lol" stays high)
    }
    // Someone else's message passed on ("my sister just sent me 'sorry for everything, this is
    // goodbye'"): what follows it in its sentence and the next is theirs, first person or not.
    for (const class_hit& h : hits_)
      if (h.cls == wclass::relay && h.other && !h.negated && !h.past && !quote_[h.sentence] &&
          !disc_[h.sentence] && (relay_sentence_ < 0 || h.sentence < uint32_t(relay_sentence_))) {
        relay_sentence_ = static_cast<int32_t>(h.sentence);
        relay_end_ = h.end;
      }
    // An injury with an ordinary cause in its sentence ("cut my finger chopping onions", "fell off
    // my bike"): its injury words are no self-harm.
    // Not when it was on purpose ("held my palm on the hob on purpose").
    accident_.assign(sentences + 1, 0);
    bool purpose = false;
    for (const class_hit& h : hits_)
      purpose |= h.cls == wclass::resolve && !h.negated && !h.other;
    // It reaches the next sentence too ("cut my finger chopping onions, do i need stitches? it
    // wont stop bleeding"), and there bleeding that "won't stop" is the injury, not an attempt,
    // unless a means is named ("tripped on the stairs. then i took all my pills").
    bool named_means = false;
    for (const class_hit& h : hits_)
      named_means |= h.cls == wclass::method;
    for (const class_hit& h : hits_)
      if (h.cls == wclass::accident && !h.negated && !h.other && !purpose) {
        accident_[h.sentence] = 1;
        accident_[h.sentence + 1] = 1;
      }
    // What the writer says about themselves, over the whole message.
    for (const class_hit& h : hits_) {
      if (accident_[h.sentence] &&
          (h.cls == wclass::injury || h.cls == wclass::injury_act || h.cls == wclass::symptom ||
           (h.cls == wclass::taken && !named_means))) {
        mine_[idx(wclass::accident)] = true;
        continue;
      }
      if ((h.past || past_[h.sentence]) && !h.negated && past_risk(h.cls))
        past_risk_ = true; // "five years ago I swallowed a bottle of pills", "my friend tried …"
      if (h.negated || h.past || quote_[h.sentence] || disc_[h.sentence])
        continue;
      // Medicine routine ("counting out mum's pills into the organizer", "take them all at once
      // in the morning"): its means, preparations and times are care, not a plan; what was
      // taken and its symptoms still count.
      if ((ordinary_[h.sentence] & 2) && routine_care(h.cls))
        continue;
      // In jest ("i'd jump off a bridge for those tickets lol") only an act already done counts.
      if (jest_[h.sentence] && jestable(h.cls))
        continue;
      // A method is within the writer's reach whoever it belongs to ("my dad's gun").
      // Injuries and symptoms describe a body ("til they're black and blue"), no subject.
      bool subjectless =
          h.cls == wclass::method || h.cls == wclass::time || h.cls == wclass::now ||
          h.cls == wclass::injury || h.cls == wclass::symptom ||
          h.cls == wclass::method_search || // "how long would it take someone to ..."
          h.cls == wclass::possession ||    // "gave my cousin my guitar"
          h.cls == wclass::possessions ||
          h.cls == wclass::mundane || // a reason, whoever is named before it ("my students")
          h.cls == wclass::leisure;
      bool relay = relayed(h.begin, h.sentence);
      if ((h.other || relay) && !subjectless) {
        other_[idx(h.cls)] = true;
        if (relay && h.cls == wclass::bye && h.begin >= last_relayed_bye_end_) {
          relayed_byes_ += h.end - h.begin >= 3 ? 2 : 1; // "this is goodbye", not "bye"
          last_relayed_bye_end_ = h.end;
        }
        // Markers that overlap ("hajibu", "hajibu simu") count once.
        if (h.cls == wclass::other_risk && h.begin >= last_other_risk_end_) {
          ++other_risks_;
          last_other_risk_end_ = h.end;
        }
        continue;
      }
      // "I'm done" ends the writer's clause; "I'm done with this team" goes on.
      // ("na", "with" start a clause of their own: "nimemaliza na kazi hii").
      if (h.cls == wclass::ending && h.end < toks_.size() && toks_[h.end].sentence == h.sentence &&
          (toks_[h.end].clause == h.clause || toks_[h.end].id == lex_.word_id("na") ||
           toks_[h.end].id == lex_.word_id("with")))
        continue;
      if (h.cls == wclass::possession || h.cls == wclass::possessions)
        possessions_ += h.cls == wclass::possessions ? 2 : (h.begin >= last_possession_end_);
      if (h.cls == wclass::possession)
        last_possession_end_ = std::max(last_possession_end_, h.end);
      mine_[idx(h.cls)] = true;
      if (h.cls == wclass::at_place && h.begin >= last_place_end_) {
        ++places_; // "on the balcony rail, one leg over": two marks of being there
        last_place_end_ = h.end;
      }
    }
    apply_rules(found, out);
  }

 private:
  bool has(wclass c) const { return mine_[idx(c)]; }

  // A first-person subject before the signal in its clause ("I've been suicidal since the course").
  bool writer_before(const found_signal& f) const {
    const enc_token& t = toks_[f.begin];
    for (const cue_hit& c : cues_)
      if (c.type == cue::first_person && c.clause == t.clause && c.sentence == t.sentence &&
          c.end <= f.begin)
        return true;
    return false;
  }

  bool relayed(uint32_t begin, uint32_t sentence) const {
    return relay_sentence_ >= 0 && begin >= relay_end_ &&
           sentence <= static_cast<uint32_t>(relay_sentence_) + 1;
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

  // A signal laughter disarms: an act or threat that does not name the writer ("jump out of
  // the window", "kill him"), never "kill myself" or an attempt.
  bool laughable(const found_signal& f) const {
    const pattern_info& p = lex_.pattern(f.pattern);
    if (p.tags & (tag::self_ref | tag::attempt))
      return false;
    for (uint32_t k = f.begin; k < f.end; ++k)
      if (toks_[k].flags & token_flag::self)
        return false;
    return p.cat == category::ideation || p.cat == category::intent ||
           p.cat == category::harm_to_others || p.cat == category::means;
  }

  // An attempt, act or arrangement of the writer's: told as past, the rules make it history.
  static bool past_risk(wclass c) {
    switch (c) {
      case wclass::taken:
      case wclass::taken_ref:
      case wclass::did_it:
      case wclass::at_place:
      case wclass::method_act:
      case wclass::injury_act:
      case wclass::farewell:
        return true;
      default:
        return false;
    }
  }

  static bool routine_care(wclass c) {
    switch (c) {
      case wclass::method:
      case wclass::collect:
      case wclass::bought:
      case wclass::act_ref:
      case wclass::method_act:
      case wclass::intent:
      case wclass::time:
      case wclass::now:
      case wclass::at_hand:
        return true;
      default:
        return false;
    }
  }

  // The classes jest disarms: means, acts, decisions and goodbyes, not what was done already
  // (taken, fasting) nor the classes that describe the message itself.
  static bool jestable(wclass c) {
    switch (c) {
      case wclass::method:
      case wclass::place:
      case wclass::method_act:
      case wclass::act_ref:
      case wclass::intent:
      case wclass::at_place:
      case wclass::go:
      case wclass::consider:
      case wclass::urge:
      case wclass::farewell:
      case wclass::bye:
      case wclass::collect:
      case wclass::bought:
      case wclass::search:
      case wclass::method_search:
      case wclass::time:
      case wclass::now:
      case wclass::engine:
      case wclass::closed:
      case wclass::ultimatum:
      case wclass::ending:
      case wclass::give:
      case wclass::relay:
        return true;
      default:
        return false;
    }
  }

  bool overlaps_class(const found_signal& f, wclass c) const {
    for (const class_hit& h : hits_)
      if (h.cls == c && h.begin < f.end && f.begin < h.end)
        return true;
    return false;
  }

  bool folded_positive(const class_hit& h) const {
    bool person = false, negative = false;
    for (uint32_t k = h.begin; k < h.end; ++k) {
      person |= (toks_[k].flags & (token_flag::self | token_flag::other)) != 0;
      negative |= (toks_[k].flags & token_flag::negated) != 0;
    }
    return person && !negative;
  }

  bool negated_word(const class_hit& h) const {
    for (uint32_t k = h.begin; k < h.end; ++k)
      if (toks_[k].flags & token_flag::negated)
        return true;
    return false;
  }

  void judge(class_hit& h) const {
    for (uint32_t k = h.begin; k < h.end; ++k) {
      if (toks_[k].flags & token_flag::negated)
        h.negated = true;
      if (toks_[k].flags & token_flag::other)
        h.other = true;
    }
    const cue_hit* subject = nullptr;
    const cue_hit* writer = nullptr; // the first first-person cue of the clause, before the hit
    for (const cue_hit& c : cues_) {
      if (c.sentence != h.sentence)
        continue;
      if (c.type == cue::negation && c.clause == h.clause && c.end <= h.begin &&
          h.begin - c.end <= negation_reach && really_negative(c))
        h.negated = true;
      if (c.type == cue::history && c.clause == h.clause && c.begin <= h.end + history_reach)
        h.past = true;
      if ((c.type == cue::first_person || c.type == cue::third_party) && c.end <= h.begin + 1 &&
          (!subject || c.end > subject->end))
        subject = &c;
      if (c.type == cue::first_person && c.clause == h.clause && c.end <= h.begin &&
          (!writer || c.begin < writer->begin))
        writer = &c;
    }
    // Goodbyes and giving away are done to someone: "I sent my girlfriend a last message", "I
    // gave my dog to my sister" are the writer's, whoever comes between.
    bool to_someone = h.cls == wclass::farewell || h.cls == wclass::bye;
    if (to_someone && writer && subject && subject->type == cue::third_party &&
        writer->begin < subject->begin)
      subject = writer;
    if (subject && subject->type == cue::third_party)
      h.other = true;
    // Someone else's markers ("keeps saying he's going to die") without a subject of their
    // own are someone else's.
    if (h.cls == wclass::other_risk && (!subject || subject->clause != h.clause))
      h.other = true;
    if (h.cls == wclass::denial || h.cls == wclass::no_act || h.cls == wclass::quote ||
        h.cls == wclass::hyperbole || h.cls == wclass::undecided || h.cls == wclass::screen)
      h.negated = false;
    // A time long past makes acts history, not the means still at hand ("bought the rope
    // last week").
    bool thing = h.cls == wclass::method || h.cls == wclass::place || h.cls == wclass::bought ||
                 h.cls == wclass::collect || h.cls == wclass::past || h.cls == wclass::resolved;
    if (past_[h.sentence] && !thing)
      h.past = true;
    // "Should I take them with food?": a question about taking something is no act.
    if (h.cls == wclass::act_ref && h.sentence < question_.size() && question_[h.sentence])
      h.negated = true;
    // A class phrase folded by a Swahili affix rule ("sitaki kufa", "siwezi kujiua") also
    // matches the positive forms: denials and "won't act" need the negation itself.
    if ((h.cls == wclass::no_act || h.cls == wclass::denial) &&
        (folded_positive(h) || ((h.phrase_flags & token_flag::negated) && !negated_word(h))))
      h.negated = true;
    // A negated decision ("sijaamua": I have not decided) is an open one.
    if (h.cls == wclass::intent && h.negated && negated_word(h)) {
      h.cls = wclass::undecided;
      h.negated = false;
    }
    // Denials and screening answers are statements about the writer even when negated.
  }

  void note(clause_outcome& out, wclass c, category cat) const {
    for (const class_hit& h : hits_)
      if (h.cls == c && !h.negated && !h.past && !h.other)
        out.evidence.push_back(clause_evidence{cat, h.begin, h.end});
  }

  void apply_rules(std::vector<found_signal>& found, clause_outcome& out) {
    using namespace feature;
    bool screened = screened_ && denied_; // a screening question answered no
    // The words of a relayed message are its sender's.
    bool relayed_risk = false;     // active ideation, intent or a plan in them
    bool relayed_distress = false; // hopelessness in them ("can't do this anymore")
    for (found_signal& f : found)
      if ((f.mod == modifier::none || f.mod == modifier::third_party) &&
          relayed(f.begin, toks_[f.begin].sentence)) {
        f.mod = modifier::third_party;
        const pattern_info& p = lex_.pattern(f.pattern);
        if (!(p.tags & tag::passive) &&
            (p.cat == category::ideation || p.cat == category::intent || p.cat == category::plan))
          relayed_risk = true;
        if (p.cat == category::hopelessness)
          relayed_distress = true;
      }
    // Signals of training talk that do not name the writer ("spotting students who might be
    // suicidal", "asking are you thinking of killing yourself"), and means, plans, times and
    // decisions in a sentence of ordinary care with medicines ("now i take them all at once in the
    // morning", "nimepanga dawa za mathe kwa kibox"): discussion.
    if (any_ordinary_)
      for (found_signal& f : found) {
        if (f.mod != modifier::none)
          continue;
        uint32_t s = toks_[f.begin].sentence;
        const pattern_info& p = lex_.pattern(f.pattern);
        if (((ordinary_[s] & 2) && (p.cat == category::means || p.cat == category::plan ||
                                    p.cat == category::timeline || p.cat == category::intent)) ||
            ((ordinary_[s] & 1) && !(p.tags & tag::self_ref) && !writer_before(f)))
          f.mod = modifier::discussion;
      }
    // An ordinary reason for letters, goodbyes and giving things away ("goodbye cards, my last day
    // before retirement", "wrote letters to all my friends bc i ship out tomorrow", "giving away
    // everything before I move"), unless a means, an act or a decision is there too: a cover
    // story ("told him I'm travelling. tonight is the end").
    if (has(wclass::mundane) && !has(wclass::intent)) {
      mine_[idx(wclass::bye)] = false;
      if (!has(wclass::method) && !has(wclass::method_act) && !has(wclass::at_place) &&
          !has(wclass::taken)) {
        ordinary_goodbye_ = has(wclass::farewell);
        mine_[idx(wclass::farewell)] = false;
        for (found_signal& f : found)
          if (f.mod == modifier::none &&
              (overlaps_class(f, wclass::bye) || overlaps_class(f, wclass::farewell) ||
               overlaps_class(f, wclass::give))) {
            f.mod = modifier::discussion;
            ordinary_goodbye_ = true;
          }
      }
    }
    // Ideation and distress the signal phrases found for the writer.
    bool ideation = false, distress = false, stated = false;
    for (const found_signal& f : found) {
      const pattern_info& p = lex_.pattern(f.pattern);
      uint32_t s = toks_[f.begin].sentence;
      if (f.mod == modifier::none && !(jest_[s] & 2) && !quote_[s] && !(screened && screen_[s]) &&
          (p.cat == category::ideation || p.cat == category::intent || p.cat == category::plan))
        ideation = true;
      if (f.mod == modifier::none && p.cat == category::hopelessness)
        distress = true;
      if (f.mod == modifier::none && !(p.tags & tag::passive) &&
          (p.cat == category::ideation || p.cat == category::intent) &&
          !overlaps_class(f, wclass::consider) && !overlaps_class(f, wclass::search) &&
          !overlaps_class(f, wclass::method_search))
        stated = true; // "I want to die", not "thinking about taking my pills"
    }
    // Giving several of one's things away, or all of them, for no ordinary reason: final
    // arrangements (issue 11 class 2), high alone, critical with a time (below).
    if (has(wclass::give) && possessions_ >= 2 && !has(wclass::gift) && !has(wclass::mundane)) {
      mine_[idx(wclass::farewell)] = true;
      note(out, wclass::give, category::plan);
    }
    // One thing given away is a goodbye's companion: with a decision and a time it is a plan
    // ("gave my neighbour my cat ... tonight's the night").
    if (has(wclass::give) && possessions_ >= 1 && !has(wclass::gift) && !has(wclass::mundane))
      mine_[idx(wclass::bye)] = true;
    bool method = has(wclass::method);
    bool acts = has(wclass::method_act) ||
                (has(wclass::act_ref) && (method || has(wclass::collect) || has(wclass::bought)));
    bool toward = has(wclass::consider) || has(wclass::urge) || has(wclass::search) ||
                  has(wclass::intent) || has(wclass::at_place) || has(wclass::undecided) ||
                  has(wclass::go);
    bool means = method || acts || (has(wclass::place) && toward);
    bool when = has(wclass::time) || has(wclass::now);

    // An attempt in progress or the means at hand right now.
    bool companion = when || has(wclass::intent) || has(wclass::farewell) || has(wclass::bye) ||
                     acts || method || has(wclass::urge) || has(wclass::symptom) || ideation ||
                     distress || has(wclass::collect) || has(wclass::engine) || places_ >= 2;
    // A means within reach now with a time, a decision, a goodbye or ideation.
    bool at_hand = has(wclass::at_hand) && method &&
                   (when || has(wclass::intent) || has(wclass::bye) || has(wclass::farewell) ||
                    ideation || distress || has(wclass::collect));
    bool taken = has(wclass::taken) || (has(wclass::taken_ref) && (method || has(wclass::symptom)));
    // A running engine in a shut garage (an ordinary purpose in its sentence, "to warm it
    // up", is jest for these hits).
    bool fumes = has(wclass::engine) && has(wclass::closed);
    bool did_it =
        has(wclass::did_it) && (method || has(wclass::symptom)) &&
        (has(wclass::bye) || has(wclass::farewell) || ideation || distress || has(wclass::now));
    if (taken || fumes || did_it || at_hand || (has(wclass::at_place) && companion) ||
        (has(wclass::fast) &&
         (has(wclass::intent) || has(wclass::resolve) || ideation || has(wclass::symptom)))) {
      out.add |= attempt;
      note(out, wclass::at_place, category::plan);
      note(out, wclass::taken, category::plan);
      note(out, wclass::taken_ref, category::plan);
      note(out, wclass::fast, category::plan);
      note(out, wclass::symptom, category::plan);
      note(out, wclass::engine, category::plan);
      if (at_hand)
        note(out, wclass::at_hand, category::plan);
      if (did_it)
        note(out, wclass::did_it, category::plan);
    }
    bool decided = has(wclass::intent) || has(wclass::collect) || acts;
    // A plan: a means, a time and a decision, in any clauses of the message.
    if (decided && (method || acts) && when) {
      out.add |= plan | active | feature::means | timeline;
      note(out, wclass::intent, category::intent);
      note(out, wclass::method_act, category::means);
      note(out, wclass::act_ref, category::means);
      note(out, wclass::method, category::means);
      note(out, wclass::time, category::timeline);
    }
    // A decision and a time toward a place ("i've decided. tomorrow. the bridge"), or a move
    // toward one with a time and a farewell or ideation ("last day. going to the top floor").
    if (has(wclass::place) && when &&
        (has(wclass::intent) ||
         (has(wclass::go) && (has(wclass::farewell) || has(wclass::bye) || ideation)))) {
      out.add |= plan | active | feature::means | timeline;
      note(out, wclass::intent, category::intent);
      note(out, wclass::go, category::plan);
      note(out, wclass::place, category::means);
      note(out, wclass::time, category::timeline);
    }
    // A bare decision with a time ("it's happening tonight") next to ideation, distress or a
    // farewell.
    if (has(wclass::intent) && when &&
        (ideation || distress || has(wclass::farewell) || has(wclass::bye))) {
      out.add |= plan | active | timeline;
      note(out, wclass::intent, category::intent);
      note(out, wclass::time, category::timeline);
    }
    // Final arrangements: with a time, means or intent a plan, alone active.
    if (has(wclass::farewell)) {
      out.add |= (when || means || has(wclass::intent)) ? (plan | active) : active;
      note(out, wclass::farewell, category::plan);
    }
    // An act on a means ("I'm going to take all of them", "im jumping off the roof").
    if (acts) {
      out.add |= active; // critical only with a time (above)
      note(out, wclass::method_act, category::means);
      note(out, wclass::act_ref, category::means);
    }
    // Considering, searching, urges toward a means; preparing one: high.
    bool prepared = has(wclass::collect) ||
                    (has(wclass::bought) && (has(wclass::undecided) || has(wclass::consider) ||
                                             has(wclass::intent) || ideation || has(wclass::bye)));
    if ((has(wclass::consider) || has(wclass::undecided) || has(wclass::search) ||
         has(wclass::urge) || prepared) &&
        means) {
      out.add |= active;
      note(out, wclass::consider, category::ideation);
      note(out, wclass::search, category::plan);
      note(out, wclass::urge, category::ideation);
      note(out, wclass::collect, category::plan);
      note(out, wclass::method, category::means);
      note(out, wclass::place, category::means);
    }
    if (has(wclass::method_search)) {
      out.add |= active;
      note(out, wclass::method_search, category::plan);
    }
    // A decision whose how or when is open ("going to do it, haven't decided how").
    if (has(wclass::intent) && (has(wclass::undecided) || has(wclass::consider))) {
      out.add |= active;
      note(out, wclass::intent, category::intent);
    }
    // Self-harm told as an act and its injury.
    if (has(wclass::injury_act) && has(wclass::injury)) {
      out.add |= self_harm;
      note(out, wclass::injury_act, category::self_harm);
      note(out, wclass::injury, category::self_harm);
    }
    // An ultimatum on life ending in the writer's own end ("if nothing changes by Friday I'm
    // done", "mambo yasipobadilika, nimemaliza"): intent on a condition, high, whatever the
    // deadline; a plan or an attempt elsewhere in the message still decides.
    if (has(wclass::ultimatum) && has(wclass::ending)) {
      out.add |= active;
      note(out, wclass::ultimatum, category::intent);
      note(out, wclass::ending, category::intent);
      if (!(out.add & (attempt | plan)) && out.cap > risk_level::high)
        out.cap = risk_level::high;
    }
    // Passive ideation and burden.
    if (has(wclass::passive)) {
      out.add |= passive;
      note(out, wclass::passive, category::ideation);
    }
    // Considering, searching, urges, preparing without a time or a decision: high, not
    // critical, even where a signal phrase names a means (issue 11, class 4 and 7).
    // Stated ideation next to them ("I want to die, I keep thinking about the pills") is not
    // capped: ideation with a means keeps the old table's critical.
    bool tentative = has(wclass::consider) || has(wclass::search) || has(wclass::method_search) ||
                     has(wclass::urge);
    if (tentative && !stated && !when && !has(wclass::intent) && !has(wclass::farewell) &&
        !(out.add & attempt))
      out.cap = risk_level::high;
    // Not decided, no time: at most high.
    if (has(wclass::undecided) && !when && !(out.add & attempt))
      out.cap = risk_level::high;
    // Ideation with "but I'd never do anything": passive.
    if (has(wclass::no_act) && !acts && !when && !has(wclass::farewell) && !(out.add & attempt)) {
      out.cap = risk_level::medium;
      if (ideation)
        out.add |= passive;
      // The model may not raise it either: hopelessness with a means and "haven't touched it and
      // won't" is medium (issue 11; the model raised 4 such messages of round 5 to high).
      no_act_cap_ = true;
    }
    // Sentences not about the writer's own risk.
    for (found_signal& f : found) {
      if (f.mod != modifier::none)
        continue;
      uint32_t s = toks_[f.begin].sentence;
      if ((screened && screen_[s]) || quote_[s])
        f.mod = modifier::discussion;
      else if ((jest_[s] & 2) && !(out.add & attempt) &&
               !(lex_.pattern(f.pattern).tags & tag::attempt))
        f.mod = modifier::hyperbole;
      else if ((jest_[s] & 1) && !(out.add & (attempt | plan)) && laughable(f))
        f.mod = modifier::hyperbole; // "going to jump out of the window lmao"; "kms lol" stays
      else if (accident_[s] && !has(wclass::resolve) && !ideation &&
               lex_.pattern(f.pattern).cat == category::self_harm)
        f.mod = modifier::discussion; // "burnt my hand on the oven tray, big blister"
      else if (past_[s] || (has(wclass::resolved) && (lex_.pattern(f.pattern).tags & tag::attempt)))
        f.mod = modifier::history; // "i tried to end it back in 2019", "... I'm 27 now"
    }
    // Giving things away for an ordinary reason ("decluttering before the move").
    if (has(wclass::mundane) && !(out.add & (attempt | plan)))
      for (found_signal& f : found)
        if (f.mod == modifier::none && overlaps_class(f, wclass::bye))
          f.mod = modifier::discussion;
    // Someone else at risk now.
    // Silence alone is no emergency ("she hasn't replied for days"): two markers, or one with
    // someone else's signal, farewell or means.
    // Someone else's attempt, plan, or ideation with a time, not in the past.
    bool other_signal = false;
    for (const found_signal& f : found) {
      const pattern_info& p = lex_.pattern(f.pattern);
      uint32_t s = toks_[f.begin].sentence;
      if (f.mod == modifier::third_party && !past_[s] && !disc_[s] && !quote_[s] &&
          ((p.tags & tag::attempt) || p.cat == category::plan ||
           ((p.cat == category::ideation || p.cat == category::intent) &&
            !(p.tags & tag::passive) && when)))
        other_signal = true;
    }
    bool other_ideation = false; // someone else's active ideation or intent, not past
    for (const found_signal& f : found) {
      const pattern_info& p = lex_.pattern(f.pattern);
      uint32_t s = toks_[f.begin].sentence;
      if (f.mod == modifier::third_party && !past_[s] && !(p.tags & tag::passive) &&
          (p.cat == category::ideation || p.cat == category::intent))
        other_ideation = true;
    }
    bool marked =
        other_risks_ >= 2 ||
        (other_risks_ >= 1 &&
         (other_signal || other_ideation || other_[idx(wclass::farewell)] ||
          other_[idx(wclass::intent)] || // "not coming back", "checking out soon"
          other_[idx(wclass::bye)] || has(wclass::bye) || has(wclass::farewell) || method || when));
    // Someone else's preparation, farewell or act with a time ("she's saved pills and this
    // weekend is the end").
    bool other_plan = when && (other_[idx(wclass::collect)] || other_[idx(wclass::farewell)] ||
                               other_[idx(wclass::method_act)] || other_[idx(wclass::intent)]);
    // A relayed goodbye (risk in its words, a farewell, or two goodbyes: "sorry for
    // everything, this is goodbye"; one "bye" is how messages end) with a second mark: silence,
    // a means or a time. Alone it is concern (low): "my best friend sent me a text saying
    // goodbye forever".
    bool relayed_goodbye = relay_sentence_ >= 0 && !has(wclass::mundane) &&
                           !other_[idx(wclass::mundane)] &&
                           (other_[idx(wclass::farewell)] || relayed_risk || relayed_byes_ >= 2 ||
                            (relayed_byes_ >= 1 && relayed_distress)) &&
                           (other_risks_ >= 1 || method || other_[idx(wclass::method)] || when);
    out.accident = (has(wclass::accident) && !has(wclass::resolve) && !ideation) || no_act_cap_;
    out.other_now = marked || other_signal || other_plan || relayed_goodbye ||
                    (other_[idx(wclass::farewell)] && when) || other_[idx(wclass::at_place)] ||
                    other_[idx(wclass::taken)] || (other_[idx(wclass::taken_ref)] && method) ||
                    other_[idx(wclass::method_act)] || (other_[idx(wclass::act_ref)] && method);
    // Training talk, medicine routine, or a place and a time with an ordinary purpose ("walking
    // the dog by the river tonight") and nothing else of the writer's: the model may not raise
    // it either ("daktari wa mifugo amesema ng'ombe apewe vidonge vinne"). The model alone read
    // place + time as a plan (P(critical) 0.9997 for the dog walk). Not `mundane`: "sold my
    // tools, won't be needing them" is a final arrangement the model catches.
    // Likewise letters and goodbyes the rules found ordinary ("goodbye letters to my students, my
    // last day at the school is friday").
    // And an attempt or act told only as long past ("five years ago I swallowed a bottle of
    // pills. today I graduated"): history is low (API.md §4), the model may not raise it.
    if ((any_ordinary_ || has(wclass::leisure) || ordinary_goodbye_ || past_risk_) && !ideation &&
        !distress && !out.add && !out.other_now &&
        std::none_of(found.begin(), found.end(), [&](const found_signal& f) {
          category c = lex_.pattern(f.pattern).cat;
          return f.mod == modifier::none && c != category::means && c != category::timeline;
        }))
      out.accident = true;
  }

  const lexicon_set& lex_;
  const std::vector<enc_token>& toks_;
  const std::vector<uint8_t>& question_;
  // Reused between calls on one thread (the scorer allocates only for its answer).
  struct scratch {
    std::vector<cue_hit> cues;
    std::vector<class_hit> hits;
    std::vector<uint8_t> screen, quote, jest, past, disc, self, accident, ordinary; // by sentence
  };
  static scratch& buffers() {
    thread_local scratch s;
    return s;
  }
  std::vector<cue_hit>& cues_;
  std::vector<class_hit>& hits_;
  std::vector<uint8_t>&screen_, &quote_, &jest_, &past_, &disc_, &self_, &accident_,
      &ordinary_; // by sentence; ordinary_: 1 training talk, 2 medicine routine
  bool screened_ = false, denied_ = false, any_ordinary_ = false;
  bool ordinary_goodbye_ = false; // a farewell or goodbye dropped for an ordinary reason
  bool past_risk_ = false;        // an attempt or act of the writer's told as long past
  bool no_act_cap_ = false;       // "but I'd never do anything" capped the message at medium
  int other_risks_ = 0;           // someone else's risk markers (silence, a locked door, a goodbye)
  uint32_t last_other_risk_end_ = 0;
  int32_t relay_sentence_ = -1; // the first relayed message's sentence
  uint32_t relay_end_ = 0;
  int relayed_byes_ = 0;
  uint32_t last_relayed_bye_end_ = 0;
  int possessions_ = 0; // the writer's things named (all of them counts twice)
  uint32_t last_possession_end_ = 0;
  int places_ = 0; // the writer's distinct at_place marks
  uint32_t last_place_end_ = 0;
  std::array<bool, wclass_count> mine_{};
  std::array<bool, wclass_count> other_{};
};

} // namespace

void analyze_clauses(const lexicon_set& lex, const std::vector<enc_token>& toks,
                     const std::vector<uint8_t>& question, const std::vector<match>& matches,
                     std::vector<found_signal>& found, clause_outcome& out) {
  out.clear();
  analysis{lex, toks, question}.run(matches, found, out);
}

} // namespace haven::crisis
