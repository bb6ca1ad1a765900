#pragma once

#include <cstdint>
#include <vector>

#include "actors/crisis/aho_corasick.hpp"
#include "actors/crisis/lexicon.hpp"
#include "actors/crisis/scope.hpp"
#include "actors/crisis/types.hpp"

// Clause analysis (issue 11): what a message says, built from word classes
// (classes_<locale>.tsv: means, places, acts, decisions, times, farewells,
// injuries, searches, someone else's silence, screening, quotes, jest ...)
// instead of fixed phrases. Every class hit is judged for who it is about (the
// nearest subject cue before it in its sentence, or a word that marks someone
// else; means, times, injuries have no subject), whether it is negated (a cue
// just before it in its clause; a Swahili negative verb), whether it is past (a
// time long past in its sentence) and whether its sentence is a quote,
// discussion or jest. Then the writer's hits over the whole message combine,
// so a means named in one clause counts for an act in another ("I have the
// pills. I'm going to take all of them tonight."):
//
//   attempt (critical)  at a height/railway/water with anything else; a means
//                       taken; a means at hand with a time or goodbye; an
//                       engine in a closed space; fasting kept on purpose
//   plan (critical)     decision/preparation/act + means + time; decision +
//                       place + time; final arrangements + time, means or
//                       decision; a bare decision + time + ideation/goodbye
//   active (high)       an act on a means; considering, searching, urges or
//                       preparing + a means; final arrangements alone
//   self_harm (high)    an act on oneself and its injury
//   passive (medium)    a wish to be gone or a burden
//   cap high / medium   only considering or undecided, no time; "but I'd
//                       never do anything" or ambivalence
//   other_now           someone else at risk now: high with other_person
//
// Signals in a sentence with a screening question answered "no", a quote, a
// time long past or strong jest stop counting (discussion, history,
// hyperbole); laughter disarms acts that do not name the writer. The table
// with examples is in docs/safety.md ("How a message is scored").

namespace haven::crisis {

struct clause_evidence {
  category cat = category::plan;
  uint32_t begin = 0, end = 0; // token range
};

struct clause_outcome {
  uint16_t add = 0;                      // feature bits found by the clause rules
  risk_level cap = risk_level::critical; // the message is at most this
  bool other_now = false;                // someone else at risk now
  bool accident = false; // an injury with an ordinary cause: the model may not raise (model.hpp)
  std::vector<clause_evidence> evidence;     // the class hits that made a rule fire
  void clear() { *this = clause_outcome{}; } // keeps no capacity: small vectors
};

/// Reads the word-class hits and cues of `matches`; may change the modifier
/// of `found` signals that lie in sentences not about the writer.
void analyze_clauses(const lexicon_set& lex, const std::vector<enc_token>& toks,
                     const std::vector<uint8_t>& question,
                     const std::vector<aho_corasick::match>& matches,
                     std::vector<found_signal>& found, clause_outcome& out);

} // namespace haven::crisis
