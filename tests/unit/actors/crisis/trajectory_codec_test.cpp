#include "actors/crisis/trajectory_codec.hpp"

#include <random>

#include <gtest/gtest.h>

#include "actors/crisis/trajectory_store.hpp"
#include "tests/unit/actors/crisis/trajectory_test_support.hpp"

using namespace haven::crisis;
using namespace std::chrono_literals;
namespace f = haven::crisis::feature;

namespace {

using namespace test; // msg, t0, tp

// A trajectory that went through several messages: held, escalated, calm count.
trajectory busy() {
  trajectory t;
  t.observe(msg(risk_level::low, f::distress), t0);
  t.observe(msg(risk_level::medium, f::passive), t0 + 1min);
  t.observe(msg(risk_level::high, f::active), t0 + 2min);
  t.observe(msg(risk_level::none), t0 + 3min);
  return t;
}

trajectory_snapshot round_trip(const trajectory_snapshot& s) {
  auto back = decode_trajectory(encode_trajectory(s));
  EXPECT_TRUE(back.has_value()) << encode_trajectory(s);
  return back.value_or(trajectory_snapshot{});
}

} // namespace

TEST(crisis_trajectory_codec, round_trips_an_observed_trajectory) {
  auto s = busy().snapshot();
  ASSERT_EQ(s.recent.size(), 4u);
  EXPECT_EQ(s.session, risk_level::high);
  EXPECT_EQ(s.calm, 1u);
  EXPECT_EQ(round_trip(s), s);
  // Compact: a header and ~10 bytes per message.
  EXPECT_LT(encode_trajectory(s).size(), 80u) << encode_trajectory(s);
  EXPECT_EQ(encode_trajectory(s).substr(0, 2), "1;");
}

TEST(crisis_trajectory_codec, round_trips_edge_values) {
  trajectory_snapshot empty;
  EXPECT_EQ(round_trip(empty), empty); // unix epoch, no messages
  EXPECT_EQ(encode_trajectory(empty), "1;0;0;0;0;0;");

  trajectory_snapshot s;
  s.last_seen = t0;
  s.elevated_at = t0 + 5s; // another node's clock was ahead
  s.session = risk_level::critical;
  s.escalated = risk_level::critical;
  s.calm = 2;
  for (int i = 0; i < 6; ++i)
    s.recent.push_back({t0 - std::chrono::minutes(10 * i) + std::chrono::milliseconds(i),
                        static_cast<risk_level>(i % 5), static_cast<uint16_t>(0xffff - i)});
  s.recent.push_back({t0 + 3ms, risk_level::none, 0}); // out of order: kept as written
  EXPECT_EQ(round_trip(s), s);
}

TEST(crisis_trajectory_codec, a_decoded_trajectory_continues_like_the_original) {
  auto original = busy();
  trajectory copy{*decode_trajectory(encode_trajectory(original.snapshot())), trajectory_config{}};
  // The same messages afterwards give the same steps: combination, hold, decay.
  std::vector<assessment> next{msg(risk_level::none, f::means), msg(risk_level::none),
                               msg(risk_level::none), msg(risk_level::low, f::distress)};
  auto when = t0 + 4min;
  for (auto& a : next) {
    auto x = original.observe(a, when);
    auto y = copy.observe(a, when);
    EXPECT_EQ(x.level, y.level);
    EXPECT_EQ(x.session_level, y.session_level);
    EXPECT_EQ(x.escalate, y.escalate);
    EXPECT_EQ(x.raised_by_combination, y.raised_by_combination);
    EXPECT_EQ(x.held, y.held);
    when += 20min;
  }
  EXPECT_EQ(original.snapshot(), copy.snapshot());
}

TEST(crisis_trajectory_codec, a_rising_run_survives_a_move_between_nodes) {
  // low -> medium on "node A", the third message on "node B" from the text alone.
  trajectory a;
  a.observe(msg(risk_level::low, f::distress), t0);
  a.observe(msg(risk_level::medium, f::passive), t0 + 1min);
  trajectory b{*decode_trajectory(encode_trajectory(a.snapshot())), trajectory_config{}};
  auto step = b.observe(msg(risk_level::medium, f::passive), t0 + 2min);
  EXPECT_TRUE(step.raised_by_run);
  EXPECT_EQ(step.level, risk_level::high);
  EXPECT_TRUE(step.escalate);
}

TEST(crisis_trajectory_codec, malformed_or_unknown_values_decode_to_nothing) {
  auto good = encode_trajectory(busy().snapshot());
  ASSERT_TRUE(decode_trajectory(good));
  const std::vector<std::string> bad{
      "",
      "1",
      "1;",
      "2" + good.substr(1), // another version
      "v1;0;0;0;0;0;",      // not a version digit
      good.substr(0, good.size() - 1),
      good + ",",                        // trailing comma
      good + ",1.2",                     // a message with two fields
      "1;5;0;0;0;0;",                    // level out of range
      "1;0;-1;0;0;0;",                   // negative level
      "1;0;0;0;0;0",                     // header without its last ';'
      "1;0;0;0;0;0;;",                   // empty message
      "1;0;0;0;00;0;",                   // leading zero
      "1;0;0;0;-0;0;",                   // negative zero
      "1;0;0;0;+5;0;",                   // plus sign
      "1;0;0;0; 5;0;",                   // space
      "1;0;0;0;99999999999999999999;0;", // overflows int64
      "1;0;0;0;4000000000001;0;",        // beyond the time bound
      "1;0;0;0;0;0;0.1.65536",           // features beyond 16 bits
      "1;0;0;0;0;0;0.1.1,",
      "1;0;0;0;0;0;0.9.1",
      "1;0;0;2000000;0;0;", // calm count absurd
      "1;0;0;0;0;0;0.1.1;",
      std::string("1;0;0;0;0;0;\0", 13),
      "\xff\xfe garbage",
  };
  for (auto& text : bad)
    EXPECT_FALSE(decode_trajectory(text)) << "'" << text << "'";
  std::string many = "1;0;0;0;0;0;";
  for (size_t i = 0; i <= trajectory_codec_max_messages; ++i)
    many += (i ? ",0.1.1" : "0.1.1");
  EXPECT_FALSE(decode_trajectory(many));
}

TEST(crisis_trajectory_codec, never_crashes_on_mutated_values) {
  auto good = encode_trajectory(busy().snapshot());
  std::mt19937 rng{42};
  const std::string alphabet = "0123456789;.,-+ x\xff";
  int decoded = 0;
  for (int i = 0; i < 20000; ++i) {
    auto s = good;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t at = rng() % (s.size() + 1);
      switch (rng() % 3) {
        case 0:
          s.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 1:
          if (at < s.size())
            s.erase(at, 1);
          break;
        default:
          if (at < s.size())
            s[at] = alphabet[rng() % alphabet.size()];
      }
    }
    if (auto t = decode_trajectory(s)) {
      ++decoded;
      // Whatever decodes is a valid trajectory the rules can use.
      trajectory tr{*t, trajectory_config{}};
      tr.observe(msg(risk_level::low, f::distress), t0 + 1h);
      EXPECT_LE(tr.level(t0 + 1h), risk_level::critical);
      EXPECT_EQ(decode_trajectory(encode_trajectory(*t)), t); // canonical
    }
  }
  EXPECT_GT(decoded, 0);
}
