#pragma once

#include <cstdint>
#include <vector>

#include "actors/crisis/aho_corasick.hpp"
#include "actors/crisis/lexicon.hpp"
#include "actors/crisis/scope.hpp"
#include "actors/crisis/types.hpp"

// Clause analysis (issue 11): what a message says, built from word classes
// (classes_<locale>.tsv) instead of fixed phrases. Every class hit is judged
// for who it is about (the writer or someone else: the nearest subject cue
// before it in its sentence, or a word that marks someone else), whether it is
// negated (a negation cue just before it in its clause, or a Swahili negative
// verb) and whether its sentence is not about the writer's own risk (a
// screening answer or denial, a quote, a school discussion, jest). Then the
// combinations of the writer's hits over the whole message map to levels, so a
// method named in one clause counts for an act in another ("I have the pills.
// I'm going to take all of them tonight."):
//
//   attempt (critical)  at a height, railway or water now; a method already
//                       taken; no food or water for days on purpose
//   plan (critical)     intent or preparation + method + a time; final
//                       arrangements + a time, method or intent
//   active (high)       intent + an act on a method; considering, searching
//                       or urges toward a method; final arrangements alone
//   self_harm (high)    an act on oneself and its injury ("punched the wall
//                       until my knuckles bled")
//   cap high            undecided ("haven't decided") without a time
//   cap medium          ideation with "but I'd never do anything" and no means
//   other_now           someone else at risk now (locked in, a goodbye text
//                       and silence): high with other_person (API.md §4)
//
// Signals in a sentence that is not about the writer become `discussion`
// (denials, quotes) or `hyperbole` (lol/emoji with no method, time or farewell
// in the message).

namespace haven::crisis {

struct clause_evidence {
  category cat = category::plan;
  uint32_t begin = 0, end = 0; // token range
};

struct clause_outcome {
  uint16_t add = 0;                          // feature bits found by the clause rules
  risk_level cap = risk_level::critical;     // the message is at most this
  bool other_now = false;                    // someone else at risk now
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
