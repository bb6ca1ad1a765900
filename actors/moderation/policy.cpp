#include "actors/moderation/policy.hpp"

#include <cmath>

namespace haven::moderation {

direction_policy default_input_policy() {
  direction_policy p;
  p[category::self_harm_instructions] = {0.7f, 0.4f};
  p[category::violence_threat] = {0.7f, 0.4f};
  p[category::harassment] = {0.9f, 0.5f};
  p[category::hate] = {0.8f, 0.4f};
  p[category::sexual_minors] = {0.5f, 0.3f};
  p[category::pii] = {never, never}; // redacted, not reviewed: PII alone is no offence
  p.redact_pii = true;
  return p;
}

direction_policy default_output_policy() {
  direction_policy p;
  p[category::self_harm_instructions] = {0.25f, 0.25f}; // any instruction-like match
  p[category::violence_threat] = {0.5f, 0.3f};
  p[category::harassment] = {0.3f, 0.3f};
  p[category::hate] = {0.3f, 0.3f};
  p[category::sexual_minors] = {0.25f, 0.25f};
  p[category::pii] = {never, never};
  p.redact_pii = true;
  return p;
}

std::string check(const policy_config& p) {
  for (auto d : {direction::input, direction::output}) {
    for (auto c : all_categories) {
      const auto& r = p[d][c];
      const std::string name = std::string{to_string(d)} + "." + std::string{to_string(c)};
      if (!std::isfinite(r.block) || r.block <= 0.0f)
        return name + ".block: must be a number > 0 (> 1 switches it off)";
      if (!std::isfinite(r.review) || r.review <= 0.0f)
        return name + ".review: must be a number > 0 (> 1 switches it off)";
    }
  }
  return {};
}

decision decide(const category_scores& scores, direction d, const policy_config& p) {
  const direction_policy& dp = p[d];
  decision out;
  bool block = false;
  for (auto c : all_categories) {
    const float s = scores[c];
    if (s <= 0.0f)
      continue;
    block = block || s >= dp[c].block;
    out.flagged = out.flagged || s >= dp[c].review;
  }
  if (block)
    out.act = action::block;
  else if (dp.redact_pii && scores[category::pii] > 0.0f)
    out.act = action::redact;
  out.flagged = out.flagged || block;
  return out;
}

} // namespace haven::moderation
