#include "actors/moderation/policy.hpp"

#include <gtest/gtest.h>

#include <limits>

using namespace haven::moderation;

namespace {

category_scores with(category c, float s) {
  category_scores sc;
  sc[c] = s;
  return sc;
}

decision in(const category_scores& s, const policy_config& p = {}) {
  return decide(s, direction::input, p);
}
decision out(const category_scores& s, const policy_config& p = {}) {
  return decide(s, direction::output, p);
}

} // namespace

TEST(moderation_policy, nothing_found_is_allow_and_not_flagged) {
  auto d = in(category_scores{});
  EXPECT_EQ(d.act, action::allow);
  EXPECT_FALSE(d.flagged);
  EXPECT_EQ(out(category_scores{}).act, action::allow);
}

TEST(moderation_policy, input_blocks_the_severe_categories_at_their_threshold) {
  for (auto c :
       {category::sexual_minors, category::violence_threat, category::self_harm_instructions}) {
    const float t = default_input_policy()[c].block;
    EXPECT_EQ(in(with(c, t)).act, action::block) << to_string(c);
    EXPECT_TRUE(in(with(c, t)).flagged);
    EXPECT_NE(in(with(c, t - 0.01f)).act, action::block) << to_string(c);
  }
}

TEST(moderation_policy, input_harassment_goes_to_review_before_it_blocks) {
  auto insult = in(with(category::harassment, 0.6f));
  EXPECT_EQ(insult.act, action::allow);
  EXPECT_TRUE(insult.flagged);
  EXPECT_EQ(in(with(category::harassment, 0.9f)).act, action::block); // "kys"
  auto weak = in(with(category::harassment, 0.3f));
  EXPECT_EQ(weak.act, action::allow);
  EXPECT_FALSE(weak.flagged);
}

TEST(moderation_policy, output_is_stricter) {
  EXPECT_EQ(out(with(category::self_harm_instructions, 0.45f)).act, action::block);
  EXPECT_EQ(in(with(category::self_harm_instructions, 0.45f)).act, action::allow);
  EXPECT_EQ(out(with(category::harassment, 0.5f)).act, action::block);
  EXPECT_EQ(in(with(category::harassment, 0.5f)).act, action::allow);
  EXPECT_EQ(out(with(category::sexual_minors, 0.45f)).act, action::block);
  EXPECT_EQ(in(with(category::sexual_minors, 0.45f)).act, action::allow);
  for (auto c : all_categories) {
    EXPECT_LE(default_output_policy()[c].block, default_input_policy()[c].block) << to_string(c);
    EXPECT_LE(default_output_policy()[c].review, default_input_policy()[c].review);
  }
}

TEST(moderation_policy, pii_is_redacted_in_both_directions_and_not_flagged) {
  for (auto d : {direction::input, direction::output}) {
    auto r = decide(with(category::pii, 1.0f), d, {});
    EXPECT_EQ(r.act, action::redact);
    EXPECT_FALSE(r.flagged);
  }
}

TEST(moderation_policy, block_wins_over_redact) {
  auto s = with(category::pii, 1.0f);
  s[category::violence_threat] = 0.9f;
  EXPECT_EQ(in(s).act, action::block);
}

TEST(moderation_policy, configurable) {
  policy_config p;
  p.input.redact_pii = false;
  EXPECT_EQ(in(with(category::pii, 1.0f), p).act, action::allow);
  p.input[category::pii].review = 0.5f; // e.g. review every message with PII
  EXPECT_TRUE(in(with(category::pii, 1.0f), p).flagged);
  p.input[category::violence_threat].block = never;
  auto d = in(with(category::violence_threat, 1.0f), p);
  EXPECT_EQ(d.act, action::allow);
  EXPECT_TRUE(d.flagged);
  p.output[category::hate] = {0.1f, 0.05f};
  EXPECT_EQ(out(with(category::hate, 0.1f), p).act, action::block);
}

TEST(moderation_policy, check_names_the_bad_rule) {
  EXPECT_EQ(check(policy_config{}), "");
  policy_config p;
  p.output[category::hate].block = 0.0f;
  EXPECT_EQ(check(p).rfind("output.hate.block:", 0), 0u);
  p = {};
  p.input[category::pii].review = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(check(p).rfind("input.pii.review:", 0), 0u);
}

TEST(moderation_policy, names_on_the_wire) {
  EXPECT_EQ(to_string(category::self_harm_instructions), "self_harm_instructions");
  EXPECT_EQ(to_string(category::sexual_minors), "sexual_minors");
  EXPECT_EQ(to_string(action::redact), "redact");
  EXPECT_EQ(to_string(direction::output), "output");
  EXPECT_EQ(category_from_string("violence_threat"), category::violence_threat);
  EXPECT_EQ(category_from_string("violence"), std::nullopt);
  EXPECT_EQ(direction_from_string("input"), direction::input);
  EXPECT_EQ(direction_from_string("Input"), std::nullopt);
}
