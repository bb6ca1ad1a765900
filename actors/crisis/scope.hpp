#pragma once

#include <cstdint>
#include <vector>

#include "actors/crisis/lexicon.hpp"

// Decides for every signal phrase found in a message whether it counts for the
// writer, using the cues around it. The rules, in order of precedence:
//
// 1. Idioms win over the signals they overlap unless the signal contains the
//    whole idiom ("this traffic is killing me" drops "killing me"). A signal
//    inside a longer one of the same category is dropped, and so are means and
//    topic words inside any longer signal ("at the end of my rope", "hang
//    myself": naming a method is not a plan); a timeline inside a farewell
//    stays ("I won't be here after Friday").
// 2. negated: a negation cue at most 5 words before the signal, in the same
//    sentence, with only "transparent" words in between ("I would never hurt
//    myself", "I'm not going to kill myself"); a pronoun or any other word in
//    between stops it ("I'm not okay, I want to die" counts). Swahili verbs
//    carry their own negation ("sitajiua"). A few fixed phrases negate what
//    comes right before them ("killing myself is not an option").
// 3. discussion: a quote/lyrics marker in the sentence or the one before.
// 4. hyperbole: hyperbole-prone phrases ("kill him") with "lol", "jk", "could"
//    or a game word in the sentence; harm to others next to a game word.
// 5. third_party: the phrase marks someone else ("herself", "anataka"), or a
//    reporting verb whose subject is someone else precedes it ("my friend
//    said ..."), or the nearest subject before it in the sentence is someone
//    else (means and timelines skip this: "my dad's gun" is within reach).
//    With a discussion cue in the sentence it is discussion instead (a
//    character in a novel, people in a study).
// 6. hypothetical: a help cue (hotline, "how can I help") in the sentence and
//    the writer is not the explicit subject, or the signal is a bare topic word;
//    discussion: the same with a discussion cue (article, research, novel ...).
// 7. hypothetical: a topic word in a question without the writer as subject
//    ("is suicide selfish?"), or a hypothetical cue earlier in the clause.
// 8. history: a history cue in the same clause ("I used to cut").

namespace haven::crisis {

struct found_signal {
  uint32_t pattern = 0;
  uint32_t begin = 0; // token range in the encoded text
  uint32_t end = 0;
  modifier mod = modifier::none;
};

/// `matches` are the automaton's matches over `toks`; `question` flags the
/// sentences that end with '?'. Results are in text order.
void judge_signals(const lexicon_set& lex, const std::vector<enc_token>& toks,
                   const std::vector<uint8_t>& question,
                   const std::vector<aho_corasick::match>& matches, std::vector<found_signal>& out);

} // namespace haven::crisis
