#include "actors/crisis/aho_corasick.hpp"

#include <random>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

using namespace haven::crisis;

namespace {

using found = std::set<std::tuple<uint32_t, uint32_t, uint32_t>>; // pattern, begin, end

found scan_all(const aho_corasick& ac, const std::vector<uint32_t>& text) {
  found out;
  ac.scan(text.data(), text.size(), [&](const aho_corasick::match& m) {
    out.insert({m.pattern, m.begin, m.end});
  });
  return out;
}

found naive(const std::vector<std::vector<uint32_t>>& patterns, const std::vector<uint32_t>& text) {
  found out;
  for (uint32_t p = 0; p < patterns.size(); ++p)
    for (size_t i = 0; i + patterns[p].size() <= text.size(); ++i)
      if (std::equal(patterns[p].begin(), patterns[p].end(), text.begin() + i))
        out.insert({p, uint32_t(i), uint32_t(i + patterns[p].size())});
  return out;
}

} // namespace

TEST(crisis_aho_corasick, finds_the_classic_he_she_his_hers_set) {
  // h=1 e=2 s=3 i=4 r=5
  std::vector<std::vector<uint32_t>> pats = {{1, 2}, {3, 1, 2}, {1, 4, 3}, {1, 2, 5, 3}};
  aho_corasick ac;
  for (auto& p : pats)
    ac.add(p);
  ac.build();
  std::vector<uint32_t> text = {3, 1, 2, 5, 3}; // "shers"
  EXPECT_EQ(scan_all(ac, text), naive(pats, text));
  EXPECT_EQ(scan_all(ac, text).size(), 3u); // she, he, hers
}

TEST(crisis_aho_corasick, unknown_symbols_reset_to_the_root) {
  aho_corasick ac;
  ac.add({1, 2});
  ac.build();
  EXPECT_EQ(scan_all(ac, {1, 0, 2}).size(), 0u);
  EXPECT_EQ(scan_all(ac, {1, 99, 2}).size(), 0u); // beyond every pattern's alphabet
  EXPECT_EQ(scan_all(ac, {1, 2}).size(), 1u);
}

TEST(crisis_aho_corasick, duplicate_patterns_each_report) {
  aho_corasick ac;
  EXPECT_EQ(ac.add({4, 5}), 0u);
  EXPECT_EQ(ac.add({4, 5}), 1u);
  ac.build();
  EXPECT_EQ(scan_all(ac, {4, 5}).size(), 2u);
  EXPECT_EQ(ac.pattern_length(1), 2u);
}

TEST(crisis_aho_corasick, matches_end_longest_first) {
  aho_corasick ac;
  ac.add({1, 2, 3});
  ac.add({3});
  ac.add({2, 3});
  ac.build();
  std::vector<uint32_t> lengths;
  std::vector<uint32_t> text = {1, 2, 3};
  ac.scan(text.data(), text.size(),
          [&](const aho_corasick::match& m) { lengths.push_back(m.end - m.begin); });
  EXPECT_EQ(lengths, (std::vector<uint32_t>{3, 2, 1}));
}

TEST(crisis_aho_corasick, agrees_with_naive_search_on_random_input) {
  std::mt19937 rng{42};
  for (int round = 0; round < 50; ++round) {
    std::uniform_int_distribution<uint32_t> sym(1, 4), len(1, 5), n(1, 30);
    std::vector<std::vector<uint32_t>> pats(n(rng));
    aho_corasick ac;
    for (auto& p : pats) {
      p.resize(len(rng));
      for (auto& c : p)
        c = sym(rng);
      ac.add(p);
    }
    ac.build();
    std::vector<uint32_t> text(200);
    for (auto& c : text)
      c = sym(rng) % 5; // includes 0, the unknown symbol
    ASSERT_EQ(scan_all(ac, text), naive(pats, text)) << "round " << round;
  }
}
