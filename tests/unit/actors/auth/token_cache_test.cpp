#include <gtest/gtest.h>

#include "actors/auth/token_cache.hpp"
#include "auth_test_util.hpp"

using namespace haven::auth;
using namespace haven::auth::test;

namespace {

access_claims claims_for(const std::string& sub) {
  auto c = sample_claims();
  c.sub = sub;
  return c;
}

std::string tok(int i) {
  return "header.payload-" + std::to_string(i) + ".signature";
}

} // namespace

TEST(token_cache, miss_then_hit) {
  token_cache cache{8};
  EXPECT_EQ(cache.find(tok(1), 100), nullptr);
  cache.insert(tok(1), claims_for("u1"), 200, 100);
  auto* hit = cache.find(tok(1), 150);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->sub, "u1");
  EXPECT_EQ(cache.find(tok(2), 150), nullptr);
  EXPECT_EQ(cache.find(tok(1) + "x", 150), nullptr); // one byte more: another token
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 3u);
}

TEST(token_cache, entries_expire_with_the_token) {
  token_cache cache{8};
  cache.insert(tok(1), claims_for("u1"), 200, 100);
  EXPECT_NE(cache.find(tok(1), 199), nullptr);
  EXPECT_EQ(cache.find(tok(1), 200), nullptr);
  EXPECT_EQ(cache.size(), 0u);
  cache.insert(tok(2), claims_for("u2"), 200, 200); // already expired: not stored
  EXPECT_EQ(cache.size(), 0u);
}

TEST(token_cache, bounded_with_second_chance_eviction) {
  token_cache cache{4};
  for (int i = 0; i < 4; ++i)
    cache.insert(tok(i), claims_for("u" + std::to_string(i)), 1000, 0);
  for (int i = 0; i < 3; ++i) // 0..2 are in use, 3 is not
    ASSERT_NE(cache.find(tok(i), 1), nullptr);
  cache.insert(tok(4), claims_for("u4"), 1000, 1);
  EXPECT_EQ(cache.size(), 4u);
  EXPECT_EQ(cache.evictions(), 1u);
  EXPECT_EQ(cache.find(tok(3), 2), nullptr);
  for (int i : {0, 1, 2, 4})
    EXPECT_NE(cache.find(tok(i), 2), nullptr) << i;
  for (int i = 5; i < 1000; ++i)
    cache.insert(tok(i), claims_for("u"), 1000, 3);
  EXPECT_EQ(cache.size(), 4u);
}

TEST(token_cache, expired_entries_make_room_first) {
  token_cache cache{2};
  cache.insert(tok(1), claims_for("short"), 10, 0);
  cache.insert(tok(2), claims_for("long"), 1000, 0);
  cache.insert(tok(3), claims_for("new"), 1000, 50);
  EXPECT_EQ(cache.evictions(), 0u);
  EXPECT_NE(cache.find(tok(2), 51), nullptr);
  EXPECT_NE(cache.find(tok(3), 51), nullptr);
}

TEST(token_cache, replace_erase_and_disabled) {
  token_cache cache{4};
  cache.insert(tok(1), claims_for("a"), 1000, 0);
  cache.insert(tok(1), claims_for("b"), 1000, 0);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.find(tok(1), 1)->sub, "b");
  cache.erase(tok(1));
  EXPECT_EQ(cache.find(tok(1), 1), nullptr);
  token_cache off{0};
  off.insert(tok(1), claims_for("a"), 1000, 0);
  EXPECT_EQ(off.find(tok(1), 1), nullptr);
}

TEST(token_cache, works_with_verified_tokens) {
  std::vector<signing_key> ks;
  ks.push_back(random_key("k1"));
  signing_keys ring{std::move(ks)};
  token_cache cache{16};
  auto token = sign_access_token(ring, sample_claims());
  auto res = verify_access_token(ring, token, t0, "haven");
  ASSERT_TRUE(res.ok());
  cache.insert(token, res.claims, res.claims.exp + clock_leeway_s, t0);
  ASSERT_NE(cache.find(token, t0 + 10), nullptr);
  EXPECT_EQ(*cache.find(token, t0 + 10), sample_claims());
  EXPECT_EQ(cache.find(token, sample_claims().exp + clock_leeway_s), nullptr);
}
