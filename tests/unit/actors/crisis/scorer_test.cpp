// Behaviour of the scorer on the phenomena of issue 6, with the shipped lexicons.
#include "actors/crisis/scorer.hpp"

#include <gtest/gtest.h>

#include "crisis_test_util.hpp"

using namespace haven::crisis;
using haven::crisis::test::level_of;
using haven::crisis::test::lexicons;

namespace {

constexpr auto none = risk_level::none;
constexpr auto low = risk_level::low;
constexpr auto medium = risk_level::medium;
constexpr auto high = risk_level::high;
constexpr auto critical = risk_level::critical;

const risk_signal* find_signal(const assessment& a, category c) {
  for (const auto& s : a.signals)
    if (s.cat == c)
      return &s;
  return nullptr;
}

} // namespace

TEST(crisis_scorer, level_mapping_follows_the_c_ssrs_like_scale) {
  EXPECT_EQ(level_of("I had a nice day at the beach"), none);
  EXPECT_EQ(level_of("Everything feels hopeless and I can't cope"), low);
  EXPECT_EQ(level_of("I wish I could sleep forever"), medium);
  EXPECT_EQ(level_of("I want to kill myself"), high);
  EXPECT_EQ(level_of("I've been cutting myself again"), high);
  EXPECT_EQ(level_of("I'm going to kill myself tonight"), critical);
  EXPECT_EQ(level_of("I want to die and I have a bottle of pills"), critical);
  EXPECT_EQ(level_of("I have a plan to end my life"), critical);
  EXPECT_EQ(level_of("I took all the pills"), critical);
}

TEST(crisis_scorer, negation_scope) {
  EXPECT_EQ(level_of("I would never hurt myself"), none);
  EXPECT_EQ(level_of("I'm not suicidal"), none);
  EXPECT_EQ(level_of("I'm not going to kill myself"), none);
  EXPECT_EQ(level_of("I don't have any plans to end my life"), none);
  EXPECT_EQ(level_of("Killing myself is not an option"), none); // negation after the phrase
  // A negation elsewhere never drops a real crisis.
  EXPECT_EQ(level_of("I'm not okay, I want to die"), high);
  EXPECT_EQ(level_of("I'm not okay I want to die"), high);
  EXPECT_EQ(level_of("I'm not suicidal but I want to die"), high);
  // Ambivalence without intent is medium since issue 11 (class 9), not a dropped signal.
  EXPECT_EQ(level_of("I don't want to die, but I don't want to live either"), medium);
  // Negation of life is ideation.
  EXPECT_EQ(level_of("I don't want to live anymore"), high);
  EXPECT_EQ(level_of("I don't want to wake up"), medium);
}

TEST(crisis_scorer, negated_signals_are_listed_but_do_not_count) {
  assessment a = score(lexicons(), "I would never hurt myself");
  const risk_signal* s = find_signal(a, category::self_harm);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->mod, modifier::negated);
  EXPECT_EQ(s->evidence, "hurt myself");
  EXPECT_EQ(a.score, 0.0);
}

TEST(crisis_scorer, idioms_and_hyperbole) {
  EXPECT_EQ(level_of("this traffic is killing me"), none);
  EXPECT_EQ(level_of("I could kill for a coffee"), none);
  EXPECT_EQ(level_of("I'm dying to see it"), none);
  EXPECT_EQ(level_of("killing it at work"), none);
  EXPECT_EQ(level_of("dead tired"), none);
  EXPECT_EQ(level_of("I'm dead \xf0\x9f\x98\x82"), none);
  EXPECT_EQ(level_of("shoot me now"), none);
  EXPECT_EQ(level_of("I cut myself shaving"), none);
  EXPECT_EQ(level_of("I want to die of embarrassment"), none);
  EXPECT_EQ(level_of("I'm going to kill him lol"), none);
  EXPECT_EQ(level_of("kill the boss then loot the chest"), none);
  // An idiom next to a real crisis does not hide it.
  EXPECT_EQ(level_of("this traffic is killing me and honestly I want to die"), high);
  // Self-harm language is not disarmed by laughter (documented decision).
  EXPECT_EQ(level_of("kms lol"), high);
}

TEST(crisis_scorer, reported_speech_and_third_parties_stay_low_unless_urgent) {
  for (const char* text :
       {"my friend said she wants to die", "My brother told me he's been cutting himself",
        "my roommate keeps saying she wants to kill herself",
        "She told me 'I want to die' and laughed", "rafiki yangu anataka kujiua"}) {
    assessment a = score(lexicons(), text);
    EXPECT_EQ(a.level, low) << text;
    EXPECT_TRUE(a.concern_for_other) << text;
    EXPECT_FALSE(a.escalate()) << text;
  }
  // Someone else at risk now is high with other_person (API.md §4, issue 11): the
  // writer needs a counselor to help them act.
  assessment urgent = score(lexicons(), "my friend says she is going to kill herself tonight");
  EXPECT_EQ(urgent.level, high);
  EXPECT_TRUE(urgent.other_person);
  EXPECT_EQ(urgent.other_level, critical);
  // The writer's own crisis next to someone else's still counts.
  EXPECT_EQ(level_of("My friend killed himself and now I want to die too"), high);
  EXPECT_EQ(level_of("I told my mom I want to die"), high);
}

TEST(crisis_scorer, discussion_and_help_questions) {
  EXPECT_EQ(level_of("the article discusses suicide rates"), none);
  EXPECT_EQ(level_of("research on self-harm among teens"), none);
  EXPECT_EQ(level_of("In the novel the character wants to end her life"), none);
  EXPECT_EQ(level_of("What's the number for the suicide hotline?"), low);
  EXPECT_EQ(level_of("How do I help a friend who is suicidal?"), low);
  EXPECT_EQ(level_of("🎵 I don't wanna live forever 🎵 lyrics stuck in my head"), none);
  // The writer's own words win over a discussion cue.
  EXPECT_EQ(level_of("I read an article about suicide and now I want to die"), high);
}

TEST(crisis_scorer, indirect_ideation_is_high) {
  // Burden without intent is medium since issue 11 (escalating it floods counselors).
  EXPECT_EQ(level_of("everyone would be better off without me"), medium);
  EXPECT_EQ(level_of("I won't be a burden much longer"), high);
  EXPECT_EQ(level_of("this is goodbye"), high);
  EXPECT_EQ(level_of("thank you for everything, goodbye forever"), high);
  EXPECT_EQ(level_of("I'm giving away my things"), high);
  EXPECT_EQ(level_of("writing letters to my family"), high);
  EXPECT_EQ(level_of("goodbye for now, see you tomorrow"), none);
}

TEST(crisis_scorer, misspellings_leetspeak_and_masks) {
  EXPECT_EQ(level_of("k1ll mys3lf"), high);
  EXPECT_EQ(level_of("i want to d13"), high);
  EXPECT_EQ(level_of("su1c1dal"), high);
  EXPECT_EQ(level_of("thinking about suicde"), high);
  EXPECT_EQ(level_of("i wanna diiiiie"), high);
  EXPECT_EQ(level_of("kms"), high);
  EXPECT_EQ(level_of("unalive myself"), high);
  EXPECT_EQ(level_of("k*ll myself"), high);
  EXPECT_EQ(level_of("su***de"), high);
  EXPECT_EQ(level_of("s u i c i d e"), high);
  EXPECT_EQ(level_of("I want to $elf harm"), high);
  EXPECT_EQ(level_of("kys"), medium); // harassment: a wish toward someone else
}

TEST(crisis_scorer, swahili_and_sheng) {
  EXPECT_EQ(level_of("nataka kujiua"), high);
  EXPECT_EQ(level_of("najiskia kujimaliza"), high);
  EXPECT_EQ(level_of("sitaki kuishi tena"), high); // "I don't want to live": ideation
  EXPECT_EQ(level_of("sitaki kujiua"), none);      // "I don't want to kill myself"
  EXPECT_EQ(level_of("sitajiua"), none);           // negation inside the verb
  EXPECT_EQ(level_of("nimechoka na maisha"), medium);
  EXPECT_EQ(level_of("sina sababu ya kuishi"), medium);
  EXPECT_EQ(level_of("maisha hayana maana"), low);
  EXPECT_EQ(level_of("niko down sana"), low);
  EXPECT_EQ(level_of("nitajinyonga"), high);
  EXPECT_EQ(level_of("nimekunywa dawa nyingi"), critical);
  EXPECT_EQ(level_of("nataka kujitoa uhai leo usiku"), critical);
  EXPECT_EQ(level_of("njaa inaniua"), none);
  EXPECT_EQ(level_of("anataka kujiua"), low); // someone else
}

TEST(crisis_scorer, code_switching_matches_every_locale) {
  EXPECT_EQ(score(lexicons(), "I want to die", "sw").level, high);
  EXPECT_EQ(score(lexicons(), "nataka kujiua", "en").level, high);
  EXPECT_EQ(score(lexicons(), "niko suicidal bro", "").level, high);
}

TEST(crisis_scorer, evidence_quotes_only_the_matched_words) {
  assessment a = score(lexicons(), "Honestly... I REALLY wanna K1LL myself, ok?");
  const risk_signal* s = find_signal(a, category::ideation);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->evidence, "K1LL myself");
}

TEST(crisis_scorer, score_stays_in_the_band_of_its_level) {
  for (const char* text : {"hello", "I feel hopeless", "I wish I was dead", "I want to die",
                           "I took all my pills", "I'm going to overdose tonight"}) {
    assessment a = score(lexicons(), text);
    double lo[] = {0.0, 0.10, 0.35, 0.60, 0.85}, hi[] = {0.1, 0.35, 0.6, 0.85, 1.0001};
    auto i = static_cast<size_t>(a.level);
    EXPECT_GE(a.score, lo[i]) << text;
    EXPECT_LT(a.score, hi[i]) << text;
  }
}

TEST(crisis_scorer, empty_huge_and_binary_input) {
  EXPECT_EQ(level_of(""), none);
  std::string big;
  while (big.size() < 64 * 1024)
    big += "kill myself not suicidal \xff\xfe ";
  EXPECT_EQ(level_of(big), high);
  std::string noise(8192, '\0');
  EXPECT_EQ(level_of(noise), none);
}
