#include "actors/moderation/classifier.hpp"

#include <gtest/gtest.h>

#include "moderation_test_util.hpp"

using namespace haven::moderation;

namespace {

const classifier& clf() {
  static const classifier c{test::shipped_lexicon()};
  return c;
}

float score(std::string_view text, category c, std::string_view locale = "en") {
  return clf().classify(text, locale)[c];
}

// Every category but pii: the strongest content score of a text.
float strongest(std::string_view text, std::string_view locale = "en") {
  auto s = clf().classify(text, locale);
  float m = 0;
  for (auto c : all_categories)
    m = std::max(m, s[c]);
  return m;
}

void expect_at_least(category c, float min, std::initializer_list<const char*> texts,
                     std::string_view locale = "en") {
  for (const char* t : texts)
    EXPECT_GE(score(t, c, locale), min) << to_string(c) << ": " << t;
}

void expect_clean(std::initializer_list<const char*> texts, std::string_view locale = "en") {
  for (const char* t : texts)
    EXPECT_EQ(strongest(t, locale), 0.0f) << t;
}

} // namespace

TEST(moderation_classifier, violence_threats) {
  expect_at_least(category::violence_threat, 0.85f,
                  {"I will kill you", "I'm going to shoot up the school", "I’ll kill you tomorrow",
                   "im gonna stab him", "I swear I will murder my boss",
                   "we are going to burn "
                   "down the school",
                   "I'LL KILL YOU", "i will k1ll you",
                   "I am going to shoot "
                   "everyone"});
  expect_at_least(category::violence_threat, 0.5f,
                  {"I'm going to hurt them if they touch my kids", "i know where you live"});
}

TEST(moderation_classifier, violence_hard_negatives) {
  expect_clean({"this traffic is killing me", "I need to kill the process",
                "kill the process "
                "with kill -9",
                "I could kill for a coffee", "my feet are killing me",
                "she is going to kill it at the interview", "I would never hurt you",
                "I'm not going to kill you", "I will not hurt you, I promise",
                "shoot me a message when you get there", "my mom will kill me if she finds out",
                "we are going to beat you at football", "I'll get you some help",
                "you're dead to me", "the movie was about a man who kills people"});
}

TEST(moderation_classifier, distress_is_not_a_category) {
  // The crisis detector's job: never blocked or scored as moderation content.
  expect_clean({"I want to kill myself", "I'm going to kill myself tonight", "I want to die",
                "I cut myself last night", "I took too many pills", "I want to overdose",
                "how do I stop cutting myself", "I feel like a burden to everyone", "I hate myself",
                "I'm such an idiot", "I just want to go die", "nataka kujiua",
                "nimechoka na maisha", "sitaki kuishi tena"});
}

TEST(moderation_classifier, reported_threat_is_damped) {
  const float direct = score("I will kill you", category::violence_threat);
  const float reported =
      score("My husband said \"I will kill you\" if I leave", category::violence_threat);
  EXPECT_GT(reported, 0.0f);
  EXPECT_LT(reported, 0.4f);
  EXPECT_LT(reported, direct);
}

TEST(moderation_classifier, harassment) {
  expect_at_least(category::harassment, 0.85f,
                  {"kys", "KYS!!!", "kyssssss", "go kill yourself", "k1ll yourself",
                   "you should just die", "nobody would miss you, kill yourself"});
  expect_at_least(category::harassment, 0.5f,
                  {"you are such a stupid idiot", "you're worthless", "shut up you idiot",
                   "honestly you are a joke", "nobody likes you", "ur pathetic"});
}

TEST(moderation_classifier, harassment_hard_negatives) {
  expect_clean({"you are not an idiot", "you are right, I'm an idiot", "you are the best",
                "You might feel like you are worthless, but you are not",
                "Do you want to kill yourself?", "Are you thinking about killing yourself?",
                "you are not alone", "you are not a burden", "don't kill yourself over it",
                "my stupid phone died", "I hate my stupid computer"});
}

TEST(moderation_classifier, self_harm_instructions) {
  expect_at_least(category::self_harm_instructions, 0.85f,
                  {"how many pills to overdose", "how many panadol does it take to die",
                   "what's the best way to cut myself", "what is the lethal dose of paracetamol",
                   "painless way to kill myself", "how to tie a noose", "how deep to cut",
                   "suicide methods that work"});
  // No object: asked often enough for review, not a block on input.
  EXPECT_GE(score("what's the best way to cut", category::self_harm_instructions), 0.4f);
  EXPECT_LT(score("what's the best way to cut", category::self_harm_instructions), 0.7f);
}

TEST(moderation_classifier, self_harm_hard_negatives) {
  expect_clean({"best way to cut onions", "how do I cut my hair", "how do I stop cutting",
                "how to cope with self harm urges", "how can I get help",
                "I don't want to know how many pills it takes", "how do I cut costs",
                "how to tell my mom I self harm"});
}

TEST(moderation_classifier, sexual_minors) {
  expect_at_least(category::sexual_minors, 0.9f,
                  {"send me nudes of 12 year old girls", "child porn links",
                   "where can i find cp links", "I want to rape a child", "hot 16 year old girls",
                   "sexy 14yo"});
  // A minor and a sexual word together, without a request: review, not block.
  const float cooc =
      score("my 14 year old daughter is sexting, what do I do", category::sexual_minors);
  EXPECT_GT(cooc, 0.0f);
  EXPECT_LT(cooc, 0.5f);
}

TEST(moderation_classifier, sexual_minors_hard_negatives) {
  // Survivors disclosing abuse, sex education and adults flirting.
  expect_clean({"when I was a kid my uncle had sex with me", "I was sexually abused as a child",
                "my uncle touched me when I was 8", "sex education for kids", "hey sexy baby",
                "child sexual abuse prevention resources", "I want to kiss my kids goodnight",
                "how do I talk to my kids about sex"});
}

TEST(moderation_classifier, hate) {
  expect_at_least(category::hate, 0.85f,
                  {"muslims are animals", "kill all the jews", "gays should die",
                   "immigrants are just vermin"});
  expect_at_least(category::hate, 0.5f, {"I hate immigrants"});
}

TEST(moderation_classifier, hate_hard_negatives) {
  expect_clean({"muslims are not animals", "I hate the way people treat immigrants",
                "refugees are being treated like animals", "a chink in the armor",
                "dogs are animals", "I am proud to be gay"});
  // A person quoting the slur they were called is damped below review level.
  EXPECT_LT(score("they called me a faggot at school", category::hate), 0.3f);
}

TEST(moderation_classifier, swahili_and_sheng) {
  expect_at_least(category::violence_threat, 0.85f, {"nitakuua", "nitakudunga kisu leo"}, "sw");
  expect_at_least(category::harassment, 0.85f, {"nenda ujiue", "jiue tu"}, "sw");
  expect_at_least(category::harassment, 0.5f, {"wewe ni mjinga", "mpumbavu wewe"}, "sw");
  expect_at_least(category::self_harm_instructions, 0.85f,
                  {"jinsi ya kujiua", "vidonge vingapi vya kujiua",
                   "nawezaje kujiua bila "
                   "maumivu",
                   "kujinyonga aje"},
                  "sw");
  expect_at_least(category::sexual_minors, 0.9f, {"ngono na mtoto", "picha za uchi za watoto"},
                  "sw");
  expect_at_least(category::hate, 0.85f, {"wakikuyu ni madoadoa", "tuwaue wajaluo"}, "sw");
  expect_clean({"sitakuua", "nitakupigia simu kesho", "jinsi ya kuacha kujidhuru",
                "nikiwa mtoto nilibakwa", "nataka kujiua", "madoadoa kwenye shati"},
               "sw");
}

TEST(moderation_classifier, code_switching_applies_swahili_to_english_texts) {
  EXPECT_GE(score("bro nitakuua kesho", category::violence_threat, "en"), 0.85f);
  EXPECT_GE(score("I will kill you", category::violence_threat, "sw"), 0.85f);
  EXPECT_GE(score("I will kill you", category::violence_threat, ""), 0.85f);
}

TEST(moderation_classifier, a_line_counts_once_and_scores_combine) {
  const float one = score("kys", category::harassment);
  EXPECT_FLOAT_EQ(score("kys kys kys kys", category::harassment), one);
  // Two different lines combine by noisy-OR: 1 - (1-0.9)(1-0.6) = 0.96.
  EXPECT_NEAR(score("kys. you are pathetic", category::harassment), 0.96f, 0.001f);
  for (auto c : all_categories) {
    const float s = score("kys. you are pathetic. I will kill you. kill all the jews", c);
    EXPECT_GE(s, 0.0f);
    EXPECT_LE(s, 1.0f);
  }
}
