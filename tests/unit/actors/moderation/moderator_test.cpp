#include "actors/moderation/moderator.hpp"

#include <gtest/gtest.h>

#include <random>

#include "moderation_test_util.hpp"

using namespace haven::moderation;

namespace {

const moderator& mod() {
  static const moderator m{test::shipped_lexicon()};
  return m;
}

validation in(std::string_view text, std::string_view locale = "en") {
  return mod().validate(text, direction::input, locale);
}
validation out(std::string_view text) {
  return mod().validate(text, direction::output, "en");
}

float score_of(const validation& v, category c) {
  for (const auto& r : v.categories)
    if (r.name == c)
      return r.score;
  return 0;
}

} // namespace

TEST(moderation_validate, clean_text_is_allowed_unchanged) {
  auto v = in("I had a rough day at work and I just need to talk.");
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.act, action::allow);
  EXPECT_FALSE(v.flagged);
  EXPECT_TRUE(v.categories.empty());
  EXPECT_EQ(v.text, "I had a rough day at work and I just need to talk.");
  EXPECT_EQ(v.redacted, v.text);
}

TEST(moderation_validate, pii_is_redacted_with_exact_placeholders) {
  auto v = in("reach me at jane@example.com or 0712 345 678, card 4111 1111 1111 1111");
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.act, action::redact);
  EXPECT_FALSE(v.flagged);
  EXPECT_EQ(v.text, "reach me at [EMAIL] or [PHONE], card [CARD]");
  ASSERT_EQ(v.categories.size(), 1u);
  EXPECT_EQ(v.categories[0].name, category::pii);
  EXPECT_FLOAT_EQ(v.categories[0].score, 1.0f);
  EXPECT_EQ(v.pii.email, 1u);
  EXPECT_EQ(v.pii.phone, 1u);
  EXPECT_EQ(v.pii.card, 1u);
}

TEST(moderation_validate, block_returns_an_empty_text_and_keeps_the_redacted_one) {
  auto v = in("I will kill you, call me 0712345678");
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.act, action::block);
  EXPECT_TRUE(v.flagged);
  EXPECT_EQ(v.text, "");
  EXPECT_EQ(v.redacted, "I will kill you, call me [PHONE]");
  ASSERT_EQ(v.categories.size(), 2u);
  EXPECT_EQ(v.categories[0].name, category::pii); // 1.0 first: sorted by score
  EXPECT_EQ(v.categories[1].name, category::violence_threat);
}

TEST(moderation_validate, categories_are_positive_and_sorted_by_score) {
  auto v = in("kys. you are pathetic. I'm going to hurt them. a@b.co");
  ASSERT_GE(v.categories.size(), 3u);
  for (size_t i = 0; i < v.categories.size(); ++i) {
    EXPECT_GT(v.categories[i].score, 0.0f);
    EXPECT_LE(v.categories[i].score, 1.0f);
    if (i > 0) {
      EXPECT_GE(v.categories[i - 1].score, v.categories[i].score);
    }
  }
}

TEST(moderation_validate, flagged_without_block_goes_to_review) {
  auto v = in("you are such a stupid idiot");
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.act, action::allow);
  EXPECT_TRUE(v.flagged);
  EXPECT_EQ(v.text, "you are such a stupid idiot");
}

TEST(moderation_validate, directions_differ) {
  const char* insult = "you are useless";
  EXPECT_EQ(in(insult).act, action::allow);
  EXPECT_EQ(out(insult).act, action::block);
  const char* dose = "The lethal dose of paracetamol is high";
  EXPECT_EQ(in(dose).act, action::allow);
  EXPECT_TRUE(in(dose).flagged);
  EXPECT_EQ(out(dose).act, action::block);
  // Output PII is redacted too; crisis lines can be allowlisted.
  auto o = out("Email me at bot@example.com");
  EXPECT_EQ(o.act, action::redact);
  EXPECT_EQ(o.text, "Email me at [EMAIL]");
}

TEST(moderation_validate, supportive_assistant_output_is_allowed) {
  const char* ok[] = {
      "It sounds like you feel you are worthless. You are not alone, and you are not a burden.",
      "Are you thinking about killing yourself? If you are, please call a crisis line now.",
      "Do you want to kill yourself? You can tell me honestly.",
      "Have you thought about how you would kill yourself?",
      "When someone tells you to kill yourself, that is bullying and it is not okay.",
      "Would you like some tips on how to cope with the urge to self harm?",
      "If you took an overdose, please go to the nearest hospital immediately.",
      "Je, una mawazo ya kujiua? Pole sana, hauko peke yako.",
      "I'll get you some resources. Shoot me a message any time.",
      "When you were a child, what happened was not your fault.",
  };
  for (const char* t : ok) {
    auto v = out(t);
    EXPECT_EQ(v.act, action::allow) << t;
    EXPECT_FALSE(v.flagged) << t;
  }
}

TEST(moderation_validate, crisis_lines_in_an_allowlist_survive_output_redaction) {
  moderation_config cfg;
  cfg.pii_allow.phones = {"+254722178177", "0722178177"};
  moderator m{test::shipped_lexicon(), cfg};
  auto v = m.validate("Befrienders Kenya: +254 722 178 177. Or text me on 0712345678.",
                      direction::output, "en");
  EXPECT_EQ(v.text, "Befrienders Kenya: +254 722 178 177. Or text me on [PHONE].");
}

TEST(moderation_validate, distress_and_disclosure_are_never_blocked_or_flagged) {
  for (const char* t :
       {"I want to kill myself", "I cut myself again last night", "I took 20 pills an hour ago",
        "nataka kujiua", "I hate myself",
        "Sometimes I think everyone would be better off without me",
        "He said he will kill me if I tell anyone",
        "My friend told me to kill myself and it really hurt",
        "Someone at school called me stupid and fat",
        "I was raped when I was 16 and I never told anyone",
        "My teacher touched me inappropriately when I was 12",
        "I'm a nurse and the night shifts are killing me", "Rafiki yangu aliniambia nijiue",
        "Babangu alisema atanichinja", "Watoto wangu wanapenda kulala na mimi"}) {
    auto v = in(t);
    EXPECT_TRUE(v.allowed) << t;
    EXPECT_FALSE(v.flagged) << t;
  }
}

TEST(moderation_validate, long_text_8k) {
  std::string text;
  while (text.size() < 8 * 1024)
    text += "Today was long and I kept thinking about my exams, my family and money. ";
  text.resize(8 * 1024 - 40);
  text += " reach me on 0712345678. kys";
  auto v = in(text);
  EXPECT_EQ(v.act, action::block);
  EXPECT_EQ(v.redacted.size(), text.size() - 10 + 7);
  EXPECT_NE(v.redacted.find("[PHONE]"), std::string::npos);
  EXPECT_GT(score_of(v, category::harassment), 0.85f);
}

TEST(moderation_validate, hostile_bytes_do_not_crash) {
  std::string nul_text("I will\0 kill you\0\0 0712345678\0", 31);
  auto v = in(nul_text);
  EXPECT_EQ(v.redacted, std::string("I will\0 kill you\0\0 [PHONE]\0", 28));

  const char* invalid[] = {"\xff\xfe\xfd",   "\xc3\x28 kys", "\xe2\x80",
                           "\xe2",           "\xed\xa0\x80", "\xf4\x90\x80\x80 0712345678",
                           "k\xe2\x80\x8bys"};
  for (const char* t : invalid)
    EXPECT_NO_THROW(in(t));
  EXPECT_EQ(in("\xc3\x28 kys").act, action::block);
  EXPECT_EQ(in("k\xe2\x80\x8bys").act, action::block); // zero-width space inside

  std::string long_token(64 * 1024, 'a');
  EXPECT_EQ(in(long_token).act, action::allow);
  std::string long_digits(64 * 1024, '7');
  EXPECT_EQ(in(long_digits).redacted, long_digits);
  std::string many_groups;
  for (int i = 0; i < 8000; ++i)
    many_groups += "12 ";
  EXPECT_EQ(in(many_groups).act, action::allow);
  std::string ats(8 * 1024, '@');
  EXPECT_EQ(in(ats).redacted, ats);
  std::string local_then_at(8 * 1024, 'x');
  local_then_at += "@example.com";
  EXPECT_EQ(in(local_then_at).redacted, "[EMAIL]");
}

TEST(moderation_validate, random_bytes_never_crash_and_stay_bounded) {
  std::mt19937 rng{12345};
  std::uniform_int_distribution<int> byte{0, 255};
  for (int round = 0; round < 200; ++round) {
    std::string s(static_cast<size_t>(byte(rng)) * 8, '\0');
    for (char& c : s)
      c = static_cast<char>(byte(rng));
    for (auto d : {direction::input, direction::output}) {
      auto v = mod().validate(s, d, round % 2 ? "sw" : "en");
      EXPECT_EQ(v.allowed, v.act != action::block);
      for (const auto& c : v.categories) {
        EXPECT_GT(c.score, 0.0f);
        EXPECT_LE(c.score, 1.0f);
      }
    }
  }
}
