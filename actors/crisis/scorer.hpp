#pragma once

#include <string_view>

#include "actors/crisis/lexicon.hpp"
#include "actors/crisis/types.hpp"

// The crisis scorer: one message in, an assessment out. Pure and thread-safe
// (the lexicon_set is immutable; scratch buffers are thread-local), a few
// microseconds for a chat message. The pipeline:
//
//   tokenize (normalize.hpp) -> encode words (lexicon.hpp) -> Aho–Corasick
//   over word ids -> judge each signal in context (scope.hpp) -> level and
//   score (levels.hpp)
//
// Session context (rising signals, holding a level) is trajectory.hpp's job.

namespace haven::crisis {

/// Scores `text` (UTF-8, any length; API.md caps it at 8 KiB). Every locale of
/// `lex` is matched whatever `locale` says: a Swahili speaker writes "I want to
/// die" and an English one "nimechoka na maisha". `locale` ("en", "sw", "sw-KE",
/// or empty for auto) is accepted for the API and resource selection.
///
/// The result lists every signal found, including those that do not count
/// (`risk_signal::mod` says why: negated, third_party, ...); `level`, `score` and
/// `features` use only the counting ones, plus the `low` floor of third-party,
/// history and hypothetical mentions.
assessment score(const lexicon_set& lex, std::string_view text, std::string_view locale = {});

} // namespace haven::crisis
