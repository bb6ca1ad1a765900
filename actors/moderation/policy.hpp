#pragma once

#include <array>
#include <string>

#include "actors/moderation/categories.hpp"
#include "actors/moderation/classifier.hpp"

// What to do with a scored text, per direction: block, redact or allow, and
// whether a human should look at it (the review queue). Thresholds are plain
// numbers so HAVEN_* settings can map onto them one to one; a threshold above
// 1 (`never`) switches that rule off.
//
// action: block if any category scores >= its block threshold; else redact if
// PII was found and the direction redacts PII; else allow.
// flagged: blocked, or any category >= its review threshold.

namespace haven::moderation {

inline constexpr float never = 2.0f;

struct category_rule {
  float block = never;
  float review = never;
};

struct direction_policy {
  std::array<category_rule, category_count> rules{};
  bool redact_pii = true;

  category_rule& operator[](category c) { return rules[index(c)]; }
  const category_rule& operator[](category c) const { return rules[index(c)]; }
};

/// Input (from the person): block clear instructions for self-harm, credible
/// threats, sexual content involving minors, strong hate; only the most severe
/// harassment ("kys") is blocked, insults go to review. PII is redacted.
direction_policy default_input_policy();

/// Output (from the assistant or a provider): stricter. Any self-harm
/// instruction, harassment, hate or sexual content involving minors blocks.
direction_policy default_output_policy();

struct policy_config {
  direction_policy input = default_input_policy();
  direction_policy output = default_output_policy();

  const direction_policy& operator[](direction d) const {
    return d == direction::input ? input : output;
  }
};

/// Empty if every threshold is a number > 0 (> 1 means never); otherwise one
/// line naming the first bad rule, e.g. "output.hate.block: must be > 0".
std::string check(const policy_config& p);

struct decision {
  action act = action::allow;
  bool flagged = false;
};

decision decide(const category_scores& scores, direction d, const policy_config& p);

} // namespace haven::moderation
