#include "actors/crisis/trajectory.hpp"

#include <gtest/gtest.h>

#include "actors/crisis/levels.hpp"
#include "actors/crisis/trajectory_store.hpp"
#include "tests/unit/actors/crisis/trajectory_test_support.hpp"

using namespace haven::crisis;
using namespace std::chrono_literals;
namespace f = haven::crisis::feature;

namespace {

using test::msg;
using test::tp;

// Features that map to each level by themselves.
assessment calm() {
  return msg(risk_level::none);
}
assessment distress() {
  return msg(risk_level::low, f::distress);
}
assessment passive() {
  return msg(risk_level::medium, f::passive);
}
assessment active() {
  return msg(risk_level::high, f::active);
}

tp t0{};

} // namespace

TEST(crisis_trajectory, a_rising_run_goes_one_step_up) {
  trajectory t;
  EXPECT_EQ(t.observe(distress(), t0).level, risk_level::low);
  EXPECT_EQ(t.observe(distress(), t0 + 1min).level, risk_level::low); // flat: no raise
  auto step = t.observe(passive(), t0 + 2min);                        // low, low, medium
  EXPECT_TRUE(step.raised_by_run);
  EXPECT_EQ(step.message_level, risk_level::medium);
  EXPECT_EQ(step.level, risk_level::high);
  EXPECT_TRUE(step.escalate);
}

TEST(crisis_trajectory, a_run_never_reaches_critical_by_itself) {
  trajectory t;
  t.observe(distress(), t0);
  t.observe(passive(), t0 + 1min);
  auto step = t.observe(active(), t0 + 2min); // low, medium, high
  EXPECT_FALSE(step.raised_by_run);
  EXPECT_EQ(step.level, risk_level::high);
}

TEST(crisis_trajectory, runs_need_every_message_at_least_low) {
  trajectory t;
  t.observe(calm(), t0);
  t.observe(distress(), t0 + 1min);
  EXPECT_EQ(t.observe(passive(), t0 + 2min).level, risk_level::medium); // none, low, medium
}

TEST(crisis_trajectory, combines_signals_across_messages) {
  trajectory t;
  EXPECT_EQ(t.observe(active(), t0).level, risk_level::high);
  auto step = t.observe(msg(risk_level::none, f::means), t0 + 1min); // "I have the pills ready"
  EXPECT_TRUE(step.raised_by_combination);
  EXPECT_EQ(step.level, risk_level::critical);
  EXPECT_TRUE(step.escalate); // a new, higher level
}

TEST(crisis_trajectory, combination_forgets_old_messages) {
  trajectory t{trajectory_config{}};
  t.observe(active(), t0);
  auto step = t.observe(msg(risk_level::none, f::means), t0 + 2h); // beyond `memory`
  EXPECT_FALSE(step.raised_by_combination);
}

TEST(crisis_trajectory, one_calm_message_never_drops_the_level) {
  trajectory t;
  t.observe(active(), t0);
  auto step = t.observe(calm(), t0 + 1min);
  EXPECT_EQ(step.message_level, risk_level::none);
  EXPECT_EQ(step.level, risk_level::high);
  EXPECT_TRUE(step.held);
  EXPECT_FALSE(step.escalate); // already escalated at high
}

TEST(crisis_trajectory, decays_one_step_after_three_calm_messages) {
  trajectory t;
  t.observe(active(), t0);
  EXPECT_EQ(t.observe(calm(), t0 + 1min).session_level, risk_level::high);
  EXPECT_EQ(t.observe(calm(), t0 + 2min).session_level, risk_level::high);
  EXPECT_EQ(t.observe(calm(), t0 + 3min).session_level, risk_level::medium);
  EXPECT_EQ(t.observe(calm(), t0 + 4min).session_level, risk_level::medium);
}

TEST(crisis_trajectory, decays_with_time) {
  trajectory t;
  t.observe(active(), t0);
  EXPECT_EQ(t.level(t0 + 29min), risk_level::high);
  EXPECT_EQ(t.level(t0 + 30min), risk_level::medium);
  EXPECT_EQ(t.level(t0 + 95min), risk_level::none);
  EXPECT_EQ(t.observe(calm(), t0 + 31min).level, risk_level::medium);
}

TEST(crisis_trajectory, escalates_once_per_rise) {
  trajectory t;
  EXPECT_TRUE(t.observe(active(), t0).escalate);
  EXPECT_FALSE(t.observe(active(), t0 + 1min).escalate); // still high: no second event
  EXPECT_TRUE(t.observe(msg(risk_level::critical, f::attempt), t0 + 2min).escalate);
  EXPECT_TRUE(
      t.observe(msg(risk_level::critical, f::attempt), t0 + 3min).escalate); // critical always
  trajectory later;
  later.observe(active(), t0);
  EXPECT_TRUE(later.observe(active(), t0 + 3h).escalate); // the held level had decayed
}

TEST(crisis_trajectory, store_keeps_sessions_apart_and_bounded) {
  trajectory_store store{2, 1h};
  store.observe("a", active(), t0);
  store.observe("b", calm(), t0 + 1s);
  EXPECT_EQ(store.level("a", t0 + 2s), risk_level::high);
  EXPECT_EQ(store.level("b", t0 + 2s), risk_level::none);
  store.observe("c", calm(), t0 + 3s); // evicts "a", the least recently seen
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.level("a", t0 + 4s), risk_level::none);
  store.observe("d", calm(), t0 + 2h); // "b" and "c" idle past the TTL
  EXPECT_EQ(store.size(), 1u);
}
