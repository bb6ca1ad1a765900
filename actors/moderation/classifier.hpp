#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actors/moderation/categories.hpp"
#include "actors/moderation/lexicon.hpp"

// Scores a text in the five content categories (pii is scored by redact_pii)
// from weighted phrase matches of the lexicon:
// - a hit inside an idiom of its category is dropped ("this traffic is
//   killing me", "kill the process");
// - a hit with a negation cue among the few words before it, in the same
//   clause, is dropped ("I would never hurt you");
// - a violence, harassment or hate hit after a reported-speech cue in the
//   same sentence is damped ("he told me 'I will kill you'" is a person
//   reporting a threat, which must reach a human, not be silenced);
// - a category's score is the noisy-OR of its distinct lexicon lines,
//   overlapping hits counting once at their highest weight: 1 - Π(1 - w).
// Entries of the request's locale and of the code-switching locales apply.
// Distress ("I want to die") is deliberately not in any category here: it is
// the crisis detector's job and must never be blocked.

namespace haven::moderation {

struct classifier_options {
  /// Locales whose entries apply to every text, whatever its declared locale:
  /// people in Kenya mix English, Swahili and Sheng in one message.
  std::vector<std::string> code_switch_locales{"en", "sw"};
  float report_factor = 0.3f;
  size_t negation_window = 4; // words before a hit, within its clause
  size_t report_window = 8;   // words before a hit, within its sentence
};

struct category_scores {
  std::array<float, category_count> score{}; // 0..1, rounded to 3 decimals

  float operator[](category c) const { return score[index(c)]; }
  float& operator[](category c) { return score[index(c)]; }
};

class classifier {
 public:
  explicit classifier(std::shared_ptr<const lexicon> lex, classifier_options opt = {});

  /// Scores `text`; never fails, whatever the bytes. Thread-safe (const).
  category_scores classify(std::string_view text, std::string_view locale) const;

  const lexicon& lex() const { return *lex_; }

 private:
  std::shared_ptr<const lexicon> lex_;
  classifier_options opt_;
  std::vector<bool> always_active_; // by lexicon locale index
};

} // namespace haven::moderation
