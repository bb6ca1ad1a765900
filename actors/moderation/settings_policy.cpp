#include "actors/moderation/settings_policy.hpp"

#include "messages/errors.hpp"

namespace haven::moderation {

static_assert(config::threshold_never == never);

caf::expected<policy_config> policy_from_settings(const config::settings& cfg) {
  policy_config policy;
  struct list {
    const char* key;
    const std::vector<config::threshold_override>& items;
    direction_policy& rules;
    float category_rule::*threshold;
  };
  const list lists[] = {
      {"HAVEN_MODERATION_INPUT_BLOCK", cfg.moderation_input_block, policy.input,
       &category_rule::block},
      {"HAVEN_MODERATION_INPUT_REVIEW", cfg.moderation_input_review, policy.input,
       &category_rule::review},
      {"HAVEN_MODERATION_OUTPUT_BLOCK", cfg.moderation_output_block, policy.output,
       &category_rule::block},
      {"HAVEN_MODERATION_OUTPUT_REVIEW", cfg.moderation_output_review, policy.output,
       &category_rule::review},
  };
  // The config loader already checked names and numbers; both checks run again
  // here because this is where the names meet the categories.
  for (const auto& l : lists)
    for (const auto& item : l.items) {
      auto c = category_from_string(item.category);
      if (!c)
        return make_error(errc::internal,
                          std::string{l.key} + ": unknown category \"" + item.category + "\"");
      l.rules[*c].*l.threshold = item.threshold;
    }
  policy.input.redact_pii = cfg.moderation_input_redact_pii;
  policy.output.redact_pii = cfg.moderation_output_redact_pii;
  if (auto bad = check(policy); !bad.empty())
    return make_error(errc::internal, "HAVEN_MODERATION_*: " + bad);
  return policy;
}

} // namespace haven::moderation
