#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actors/moderation/categories.hpp"
#include "actors/moderation/classifier.hpp"
#include "actors/moderation/lexicon.hpp"
#include "actors/moderation/pii.hpp"
#include "actors/moderation/policy.hpp"

// The pure core of POST /v1/safety/validate (API.md §4): PII redaction,
// category scores and the policy decision, with no actor and no HTTP. One
// moderator is immutable after construction; share it between threads.
//
// `text` in the answer: the input unchanged for allow, the PII-redacted text
// for redact, and an EMPTY string for block, so a client that shows `text`
// can never show blocked content (docs/safety.md, "Moderation"). `redacted`
// always holds the PII-redacted text for the review queue; neither the result
// nor anything derived from pii_counts contains the PII itself.

namespace haven::moderation {

struct moderation_config {
  policy_config policy;
  classifier_options classifier;
  pii_allowlist pii_allow; ///< e.g. crisis lines the assistant must be able to give
};

struct category_result {
  category name;
  float score; // > 0, at most 1, 3 decimals
};

struct validation {
  bool allowed = true; ///< false only for block
  action act = action::allow;
  bool flagged = false;                    ///< goes to the review queue and moderation.flagged
  std::vector<category_result> categories; ///< score > 0 only, highest first
  std::string text;                        ///< the API's `text` (see above)
  std::string redacted;                    ///< PII-redacted text, whatever the action
  pii_counts pii;                          ///< kinds and counts only: safe to log
};

class moderator {
 public:
  explicit moderator(std::shared_ptr<const lexicon> lex, moderation_config cfg = {});

  /// Never fails: any bytes (invalid UTF-8, NUL) give an answer. `locale`
  /// may be empty or unknown; the code-switching locales apply regardless.
  validation validate(std::string_view text, direction dir, std::string_view locale) const;

  const moderation_config& config() const { return cfg_; }

 private:
  moderation_config cfg_;
  classifier classifier_;
};

} // namespace haven::moderation
