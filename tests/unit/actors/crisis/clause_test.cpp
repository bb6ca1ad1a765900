// The phenomenon classes of issue 11, each in English and Swahili/Sheng. The
// sentences are written for these tests from the class descriptions,
// not taken from any evaluation set.
#include <gtest/gtest.h>

#include "actors/crisis/scorer.hpp"
#include "actors/crisis/trajectory.hpp"
#include "crisis_test_util.hpp"

namespace haven::crisis::test {
namespace {

constexpr auto none = risk_level::none;
constexpr auto low = risk_level::low;
constexpr auto medium = risk_level::medium;
constexpr auto high = risk_level::high;
constexpr auto critical = risk_level::critical;

void expect_level(std::initializer_list<const char*> texts, risk_level want) {
  for (const char* t : texts)
    EXPECT_EQ(to_string(level_of(t)), std::string{to_string(want)}) << t;
}

void expect_at_most_low(std::initializer_list<const char*> texts) {
  for (const char* t : texts)
    EXPECT_LE(level_of(t), low) << t;
}

// 1. A plan stated through method + time + first-person intent, no ideation word.
TEST(crisis_clauses, plan_by_method_and_time) {
  expect_level({"tonight after everyone is asleep im taking all the sleeping pills",
                "the rope is in my bag. doing it on friday",
                "i've decided. tomorrow morning, the railway bridge near campus",
                "counted my tablets, there's enough. it happens this weekend"},
               critical);
  expect_level({"usiku wa leo wote wakilala nitameza vidonge vyote",
                "nimeamua. kesho asubuhi naenda kwa reli ya town",
                "kamba iko tayari, nitafanya ijumaa"},
               critical);
  // The same words about errands are nothing.
  expect_level(
      {"tonight im taking the train to my aunt's", "kesho naenda town kununua dawa ya mama"}, none);
}

// 2. Final arrangements: with a time critical, alone high.
TEST(crisis_clauses, final_arrangements) {
  expect_level({"wrote letters to my family and deleted all my accounts. tonight is the night",
                "my goodbye note is under the lamp. by the time you read this it's done"},
               critical);
  expect_level(
      {"i've been writing goodbye letters to everyone", "nimeandika barua kwa familia yangu"},
      high);
  expect_level({"nimefuta akaunti zangu zote na nimeandika barua. leo usiku ndio mwisho"},
               critical);
  expect_at_most_low(
      {"giving away my old clothes to the church", "nimegawa nguo zangu za zamani kwa kanisa"});
}

// 3. Self-harm told as an act and its injury.
TEST(crisis_clauses, self_harm_as_act_and_injury) {
  expect_level({"kept punching the wall until my knuckles bled",
                "burned my arm with a lighter until it blistered",
                "i scratch my legs till they bleed when it gets loud in my head"},
               high);
  expect_level(
      {"najipiga kichwa ukutani mpaka damu ikatoka", "nilijikwaruza mikono mpaka ikatoa damu jana"},
      high);
  expect_level({"punched the bag at the gym until my arms were sore"}, none);
}

// 4. Considering a method without deciding: high, not critical.
TEST(crisis_clauses, considering_without_deciding) {
  expect_level({"thinking about taking all my pills, haven't decided",
                "keep thinking about the bridge or the pills, can't decide"},
               high);
  expect_level({"nafikiria kunywa sumu ya panya lakini sijaamua"}, high);
  // The session trajectory sees the capped features, not the raw ones.
  trajectory t;
  auto a = score(lexicons(), "thinking about taking all my pills, haven't decided");
  EXPECT_EQ(t.observe(a, trajectory::clock::time_point{}).level, high);
}

// 5. The method named in one clause and acted on in another.
TEST(crisis_clauses, reference_across_clauses) {
  expect_level({"I have the pills. I'm going to take all of them tonight.",
                "got the tablets from three chemists. swallowing all of them after work"},
               critical);
  // Intent on means in hand is critical even without a time (the means are here now).
  expect_level({"I have the pills. I'm going to take all of them."}, critical);
  expect_level({"nimenunua vidonge. usiku huu nitavimeza vyote"}, critical);
}

// 6. Not about the writer's own risk.
TEST(crisis_clauses, not_about_me) {
  expect_level({"people keep asking if I'm suicidal since I lost weight. I'm not, just stressed",
                "the nurse asked if i'd had thoughts of killing myself and i said no",
                "the song goes 'jump off the bridge tonight, baby' and it's stuck in my head",
                "in class we read the poem where she wants to die, so sad",
                "haha im gonna jump off the roof if they cancel my show lol jk"},
               none);
  expect_at_most_low({"daktari aliniuliza kama nimewahi fikiria kujiua, nikamwambia hapana",
                      "wananiuliza kama nataka kujiua, hapana jameni ni stress tu"});
}

// 7. An attempt in progress or the means at hand now: critical. Searching and urges: high.
TEST(crisis_clauses, attempt_in_progress_and_searching) {
  expect_level({"i'm standing on the ledge of the parking garage right now",
                "swallowed the whole bottle an hour ago and feel dizzy",
                "sitting in the car in the garage with the engine running",
                "haven't eaten or drunk anything for five days and i'm not going to",
                "drank the bleach, it burns"},
               critical);
  expect_level({"niko juu ya paa la jengo sasa hivi, kwaheri",
                "nimemeza vidonge vyote, nahisi kizunguzungu",
                "sijala wala kunywa maji siku tano. sitakula tena"},
               critical);
  // People draw the means instead of naming it.
  expect_level({"im on the 🌉 right now. goodbye", "niko juu ya 🌉 sasa hivi, kwaheri"}, critical);
  expect_level({"been googling how many of my tablets it would take",
                "every single day i get the urge to steer into oncoming traffic"},
               high);
  expect_level({"nimekuwa nikigoogle vidonge vingapi vinaweza kuniua"}, high);
}

// 8. Someone else at risk now: high with other_person; past and resolved stay low or none.
TEST(crisis_clauses, someone_else_at_risk_now) {
  for (const char* t :
       {"my sister locked herself in her room and keeps saying she's going to die",
        "my best friend texted me 'thanks for everything, bye' and now she isn't answering",
        "kaka yangu amejifungia chumbani anasema atajiua, hajibu simu"}) {
    assessment a = score(lexicons(), t);
    EXPECT_EQ(to_string(a.level), std::string{"high"}) << t;
    EXPECT_TRUE(a.other_person) << t;
  }
  for (const char* t : {"my cousin took an overdose two years ago, he's doing great now",
                        "rafiki yangu alijaribu kujiua mwaka jana, sasa yuko poa"}) {
    assessment a = score(lexicons(), t);
    EXPECT_LE(a.level, low) << t;
    EXPECT_FALSE(a.other_person) << t;
  }
}

// 9. Passive ideation and burden without intent: medium, not high.
TEST(crisis_clauses, passive_and_burden_are_medium) {
  expect_level({"my family would honestly be better off without me",
                "I don't want to be alive but I'd never do anything about it",
                "sometimes i wish i could fall asleep and not wake up"},
               medium);
  expect_level(
      {"familia yangu ingekuwa bora bila mimi", "mimi ni mzigo tu, singejali kama nisingeamka"},
      medium);
}

// 2b. Giving one's things away without a time: several things or all of them, no ordinary
// reason, is a final arrangement (high); with a time, critical. One thing, a present or a loan
// is nothing.
TEST(crisis_clauses, giving_things_away_without_a_time) {
  expect_level({"handed my camera and my bike over to my neighbour's kid yesterday",
                "been getting rid of all my stuff this month, nobody's noticed",
                "passed my records and my plants on to jess, told her to keep them"},
               high);
  expect_level({"nimewapa majirani baiskeli yangu na laptop",
                "nimegawa vitu vyangu vyote kwa majirani wiki hii"},
               high);
  expect_level({"gave away all my things. it ends on sunday"}, critical);
  expect_at_most_low(
      {"gave my bike to my cousin", "gave my camera and lenses to dad for his birthday",
       "lent my laptop and my phone charger to sam for the weekend",
       "nimempa dada yangu simu na saa kama zawadi ya siku ya kuzaliwa", "nimempa kaka baiskeli"});
}

// 10. An ultimatum on life: a condition on things changing and the writer's own end ("if it
// isn't better by Friday I'm done"): high whatever the deadline; "done with" something is not.
TEST(crisis_clauses, ultimatum_on_life_is_high) {
  expect_level({"if things don't get better by the end of term then I'm done",
                "giving it one more month. if I'm still like this, that's it for me",
                "if nothing improves after this round of meds i'm out"},
               high);
  expect_level({"kama hali haitabadilika mwezi huu, nimemaliza",
                "maisha yasipobadilika kufikia Disemba basi ndio mwisho wangu"},
               high);
  expect_at_most_low({"if nothing changes by friday I'm done with this job",
                      "if things don't improve I'm done with that gym lol",
                      "if the bus isn't here in five minutes I'm out, walking home",
                      "kama hali haitabadilika nimemaliza na kazi hii"});
}

// 8b. Someone else's goodbye passed on in their own words: the first person inside the quote
// is theirs, not the writer's. With a second mark (silence, a means, a time) it is someone
// else at risk now (high, other_person); alone it is concern (at most low), as "my best friend
// sent me a text saying goodbye forever" is in the development set. One "bye", a song, a chat
// left or a past message is nothing.
TEST(crisis_clauses, relayed_goodbye_is_someone_else_at_risk) {
  for (const char* t :
       {"my flatmate just messaged me 'sorry for everything, this is goodbye' and now her phone "
        "is off",
        "my best friend posted on her story \"i can't do this anymore. goodbye\" and she's not "
        "answering",
        "kaka yangu amenitumia 'samahani kwa kila kitu, kwaheri ya mwisho' na hapokei simu",
        "dada yangu ameniandikia ujumbe 'nisameheni, kwaheri milele' na simu yake imezimwa"}) {
    assessment a = score(lexicons(), t);
    EXPECT_EQ(to_string(a.level), std::string{"high"}) << t;
    EXPECT_TRUE(a.other_person) << t;
  }
  for (const char* t :
       {"my brother texted me 'i want to die, goodbye forever'",
        "kaka yangu amenitumia 'nataka kufa, kwaheri milele'",
        "my coach texted me 'good game, bye'",
        "my sister texted 'this is goodbye' lol she's leaving the family group chat",
        "my brother texted 'this is goodbye' two years ago, he's doing well now",
        "the song goes 'this is goodbye, sorry for everything'",
        "mama amenitumia ujumbe 'kwaheri, safari njema'"}) {
    assessment a = score(lexicons(), t);
    EXPECT_LE(a.level, low) << t; // not the writer's own ideation
    EXPECT_FALSE(a.other_person) << t;
  }
}

// 3b. An injury with an ordinary cause is no self-harm (and the model may not raise it); on
// purpose, or "I said it was an accident", it is.
TEST(crisis_clauses, accidental_injury_is_not_self_harm) {
  for (const char* t :
       {"sliced my thumb peeling potatoes, it won't stop bleeding, do i need stitches",
        "came off my scooter this morning, knee is swollen and bleeding",
        "nimeanguka na pikipiki jana, mguu umevimba na damu inatoka",
        "nimejikata nikikata vitunguu, damu inatoka sana"}) {
    assessment a = score(lexicons(), t);
    EXPECT_LE(a.level, low) << t;
    EXPECT_TRUE(a.accident) << t;
  }
  expect_level({"pressed my palm on the hot iron on purpose until it blistered"}, high);
  EXPECT_FALSE(
      score(lexicons(), "punched the wall till my knuckles bled, told mum it was an accident")
          .accident);
}

// Round 6 classes (written for these tests from the classes, not from the set).
// Training talk and ordinary care with medicines are not the writer's risk, and the model may
// not raise them; the writer's own words beside them still count.
TEST(crisis_clauses, training_talk_and_medicine_routine_are_not_the_writers_risk) {
  for (const char* t :
       {"our suicide prevention training today had us role play a student who has been saving "
        "pills for the weekend",
        "sorting grandpas tablets into his pill organizer for the week, he takes 12 a day now",
        "doctor upped my dose so now i take all three tablets at night with food",
        "mafunzo ya wauguzi leo yalikuwa kuhusu wagonjwa wanaotaka kujiua",
        "nimepanga dawa za bibi kwa kisanduku cha wiki, anakunywa mara tatu kwa siku"}) {
    assessment a = score(lexicons(), t);
    EXPECT_LE(a.level, low) << t;
    EXPECT_TRUE(a.accident) << t; // the model may not raise it
  }
  expect_level({"did the first aid training today and honestly i want to kill myself"}, high);
  // What was taken still counts in a sentence about the organizer.
  EXPECT_GE(level_of("took every pill in my pill organizer an hour ago, everything is spinning"),
            high);
}

// An ordinary reason drops letters, goodbyes and giving away; a cover story beside a decision
// does not.
TEST(crisis_clauses, ordinary_reasons_for_goodbyes) {
  expect_at_most_low({"wrote goodbye letters to my students, my last day at the school is friday",
                      "giving away my books and my bike before we move to Mombasa next week",
                      "deleting all my socials for a month, see you after exams",
                      "nimegawa nguo zangu na vitabu vyangu kwa sababu nahamia Kisumu"});
  expect_level({"gave my neighbour my cat and told her im moving away. tonights the night"},
               critical);
}

// No future after a time, settled debts, a last message: final arrangements.
TEST(crisis_clauses, no_future_and_settled_debts) {
  expect_level({"after tonight none of this will matter. paid back what i owed my brother",
                "there isnt going to be a next month for me. tonights the night",
                "baada ya leo hakuna kitu itajalisha. nimelipa madeni yangu yote"},
               critical);
  expect_level({"i dont see myself still being here by christmas"}, high);
  expect_at_most_low({"I paid off all my debts today!! finally free, celebrating tonight"});
}

// Being at a railway or in fumes told without "I'm"; a memory after the place is no history.
TEST(crisis_clauses, at_the_place_without_im) {
  expect_level({"on the tracks at the crossing again. i can hear the train coming",
                "sat in the car in the shed, engine's been running a while",
                "im on the pier where we used to fish. stones in my pockets",
                "niko kando ya ziwa, naenda kuingia sasa"},
               critical);
}

// Someone else's stated end with silence; fear of harming one's child.
TEST(crisis_clauses, someone_elses_stated_end_and_harm_to_a_child) {
  assessment a = score(lexicons(), "she hasnt replied since last night and her last post said "
                                   "she's checking out for good");
  EXPECT_GE(a.level, high);
  EXPECT_TRUE(a.other_person);
  expect_level({"I'm scared of what I might do to my son when he screams like that",
                "naogopa kumuumiza mtoto wangu, analia kila saa na nimechoka"},
               high);
}

// A place and a time with an ordinary purpose: the rules say none and the model may not raise.
TEST(crisis_clauses, place_and_time_with_an_ordinary_purpose) {
  for (const char* t : {"walking the dog by the river tonight, the water is so high",
                        "went up to the roof of the building tonight to watch the fireworks",
                        "tunaenda mtoni leo kuogelea na marafiki"}) {
    assessment a = score(lexicons(), t);
    EXPECT_EQ(a.level, none) << t;
    EXPECT_TRUE(a.accident) << t;
  }
  expect_level({"im gonna jump off a bridge if this lecture doesnt end soon 🙄"}, none);
  expect_level({"i dont have the guts to kill myself, i just wish i wouldnt wake up"}, medium);
}

// Others checking whether the writer is at risk, answered no; an attempt told only as long past
// (the model may not raise it); ordinary wills and stocking medicines.
TEST(crisis_clauses, checked_on_past_attempts_and_ordinary_wills) {
  expect_at_most_low({"everyone at work keeps checking if im suicidal since the divorce. im not",
                      "finished writing my will today with the lawyer now that the baby is here",
                      "stocking up on paracetamol and cough syrup before flu season"});
  assessment past = score(lexicons(), "five years ago I swallowed a bottle of pills. today I "
                                      "graduated as a nurse");
  EXPECT_LE(past.level, low);
  EXPECT_TRUE(past.accident); // the model may not raise it
  expect_level({"bought a bottle of pills and im sitting in my car at the top of the multistorey. "
                "tonight"},
               critical);
}

// An ordinary cause reaches the next sentence ("... do i need stitches? it won't stop bleeding");
// a refusal to touch a means keeps hopelessness with means at medium, for the model too.
TEST(crisis_clauses, first_aid_across_sentences_and_refusing_a_means) {
  assessment cut = score(lexicons(), "sliced my palm cutting bread, do i need stitches? the "
                                     "bleeding wont stop after ten minutes");
  EXPECT_LE(cut.level, low);
  EXPECT_TRUE(cut.accident);
  EXPECT_EQ(level_of("tripped on the stairs. then i took all my pills, everything is spinning"),
            critical);
  assessment refuse = score(lexicons(), "there's an old shotgun in the shed and i feel worthless "
                                        "lately. havent touched it and wont");
  EXPECT_LE(refuse.level, medium);
  EXPECT_TRUE(refuse.accident); // the model may not raise it
}

} // namespace
} // namespace haven::crisis::test
