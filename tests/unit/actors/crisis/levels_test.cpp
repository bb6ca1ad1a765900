#include "actors/crisis/levels.hpp"

#include <gtest/gtest.h>

using namespace haven::crisis;
namespace f = haven::crisis::feature;

TEST(crisis_levels, table) {
  EXPECT_EQ(level_from_features(0), risk_level::none);
  EXPECT_EQ(level_from_features(f::means), risk_level::none);
  EXPECT_EQ(level_from_features(f::timeline), risk_level::none);
  EXPECT_EQ(level_from_features(f::distress), risk_level::low);
  EXPECT_EQ(level_from_features(f::floor_low), risk_level::low);
  EXPECT_EQ(level_from_features(f::distress | f::means), risk_level::medium);
  EXPECT_EQ(level_from_features(f::passive), risk_level::medium);
  EXPECT_EQ(level_from_features(f::passive | f::timeline), risk_level::medium);
  EXPECT_EQ(level_from_features(f::passive | f::means), risk_level::high);
  EXPECT_EQ(level_from_features(f::active), risk_level::high);
  EXPECT_EQ(level_from_features(f::self_harm), risk_level::high);
  EXPECT_EQ(level_from_features(f::self_harm | f::timeline), risk_level::high);
  EXPECT_EQ(level_from_features(f::harm_others), risk_level::high);
  EXPECT_EQ(level_from_features(f::active | f::means), risk_level::critical);
  EXPECT_EQ(level_from_features(f::active | f::timeline), risk_level::critical);
  EXPECT_EQ(level_from_features(f::harm_others | f::timeline), risk_level::critical);
  EXPECT_EQ(level_from_features(f::plan), risk_level::critical);
  EXPECT_EQ(level_from_features(f::attempt), risk_level::critical);
}

TEST(crisis_levels, features_of_categories_and_tags) {
  pattern_info p;
  p.cat = category::ideation;
  EXPECT_EQ(features_of(p), f::active);
  p.tags = tag::passive;
  EXPECT_EQ(features_of(p), f::passive);
  p.cat = category::harm_to_others; // "kys": a wish toward someone, no act
  EXPECT_EQ(features_of(p), f::passive);
  p.tags = 0;
  EXPECT_EQ(features_of(p), f::harm_others);
  p.cat = category::plan;
  EXPECT_EQ(features_of(p), f::plan | f::active);
  p.cat = category::self_harm;
  p.tags = tag::attempt;
  EXPECT_EQ(features_of(p), f::self_harm | f::attempt);
}

TEST(crisis_levels, score_bands_are_ordered_and_monotone) {
  double prev = -1;
  for (auto l : {risk_level::none, risk_level::low, risk_level::medium, risk_level::high,
                 risk_level::critical}) {
    double lo = score_in_band(l, 0.0), hi = score_in_band(l, 1.0);
    EXPECT_LE(lo, hi);
    EXPECT_GE(lo, prev);
    prev = hi;
  }
  EXPECT_EQ(score_in_band(risk_level::critical, 1.0), 1.0);
  EXPECT_LT(score_in_band(risk_level::high, 1.0), 0.85);
  EXPECT_EQ(score_in_band(risk_level::low, 7.0), score_in_band(risk_level::low, 1.0)); // clamped
}

TEST(crisis_levels, raise_and_lower_saturate) {
  EXPECT_EQ(raise(risk_level::critical), risk_level::critical);
  EXPECT_EQ(raise(risk_level::low), risk_level::medium);
  EXPECT_EQ(lower(risk_level::none), risk_level::none);
  EXPECT_EQ(lower(risk_level::high), risk_level::medium);
}

TEST(crisis_levels, names_round_trip) {
  for (auto l : {risk_level::none, risk_level::low, risk_level::medium, risk_level::high,
                 risk_level::critical}) {
    risk_level back{};
    EXPECT_TRUE(parse_risk_level(to_string(l), back));
    EXPECT_EQ(back, l);
  }
  category c{};
  EXPECT_TRUE(parse_category("harm_to_others", c));
  EXPECT_EQ(c, category::harm_to_others);
  EXPECT_FALSE(parse_category("nope", c));
}
