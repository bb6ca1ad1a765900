#include <gtest/gtest.h>

#include "actors/auth/auth_gate.hpp"
#include "actors/auth/revocation_actor.hpp"
#include "actors/auth/user_cache.hpp"
#include "auth_test_util.hpp"
#include "messages/errors.hpp"

using namespace haven;
using namespace haven::auth;
using haven::auth::test::sample_claims;
using haven::auth::test::t0;

namespace {

struct gate_test : ::testing::Test {
  std::shared_ptr<const signing_keys> keys =
      std::make_shared<const signing_keys>(std::vector<signing_key>{random_key("k1")});
  auth_gate gate{keys, 16};
  access_claims claims = sample_claims();
  std::string token = sign_access_token(*keys, claims);
  std::string header = "Bearer " + token;
};

bool unauthorized(const caf::expected<access_claims>& r) {
  return !r && r.error().code() == static_cast<uint8_t>(errc::unauthorized);
}

} // namespace

TEST_F(gate_test, valid_token_then_served_from_the_cache) {
  auto r = gate.check(&header, t0 + 1);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->sub, claims.sub);
  EXPECT_EQ(gate.cache().misses(), 1u);
  auto again = gate.check(&header, t0 + 2);
  ASSERT_TRUE(again);
  EXPECT_EQ(gate.cache().hits(), 1u);
}

TEST_F(gate_test, refuses_missing_malformed_and_expired) {
  EXPECT_TRUE(unauthorized(gate.check(nullptr, t0)));
  for (std::string h :
       std::vector<std::string>{"", "Bearer", "Bearer ", "Basic abc", "Bearer a b", "bearer x.y.z",
                                "Bearer " + token + "x", "Token " + token})
    EXPECT_TRUE(unauthorized(gate.check(&h, t0))) << h;
  EXPECT_TRUE(unauthorized(gate.check(&header, claims.exp + clock_leeway_s)));
}

TEST_F(gate_test, scheme_is_case_insensitive) {
  std::string h = "bEaReR   " + token;
  EXPECT_TRUE(gate.check(&h, t0));
}

TEST_F(gate_test, revocation_is_checked_even_for_cached_tokens) {
  ASSERT_TRUE(gate.check(&header, t0)); // now cached
  gate.revoke({{"jti", claims.jti, claims.exp + clock_leeway_s}}, t0);
  EXPECT_TRUE(unauthorized(gate.check(&header, t0 + 1)));
}

TEST_F(gate_test, revoked_session_refuses_every_token_of_it) {
  auto other = claims;
  other.jti = "another-jti";
  auto h2 = "Bearer " + sign_access_token(*keys, other);
  gate.revoke({{"sid", claims.sid, t0 + 100}}, t0);
  EXPECT_TRUE(unauthorized(gate.check(&header, t0 + 1)));
  EXPECT_TRUE(unauthorized(gate.check(&h2, t0 + 1)));
  // Entries end: past `until` no such token could be valid anyway.
  EXPECT_EQ(gate.revoked_entries(), 1u);
}

TEST_F(gate_test, token_from_unknown_key_is_refused) {
  signing_keys other{std::vector<signing_key>{random_key("k1")}};
  auto h = "Bearer " + sign_access_token(other, claims);
  EXPECT_TRUE(unauthorized(gate.check(&h, t0)));
}

TEST(auth_authz, roles_and_organizations) {
  auto c = sample_claims();
  EXPECT_FALSE(require_role(c, {"user", "admin"}));
  EXPECT_EQ(require_role(c, {"admin"}).code(), static_cast<uint8_t>(errc::forbidden));
  EXPECT_FALSE(require_org(c));
  EXPECT_FALSE(require_org(c, c.org));
  EXPECT_EQ(require_org(c, "99999999-2222-4333-8444-555555555555").code(),
            static_cast<uint8_t>(errc::not_found));
  EXPECT_EQ(require_org(sample_claims(false)).code(), static_cast<uint8_t>(errc::not_found));
  EXPECT_FALSE(require_owner(c, c.sub));
  EXPECT_EQ(require_owner(c, "someone-else").code(), static_cast<uint8_t>(errc::not_found));
}

TEST(auth_revocations, set_expires_entries) {
  revocation_set s;
  s.add({"jti", "j", 100}, 50);
  s.add({"sid", "s", 40}, 50); // already over: ignored
  s.add({"bogus", "x", 100}, 50);
  EXPECT_TRUE(s.revoked("j", "", 99));
  EXPECT_FALSE(s.revoked("j", "", 100));
  EXPECT_FALSE(s.revoked("", "s", 60));
  EXPECT_EQ(s.size(), 1u);
  s.prune(100);
  EXPECT_EQ(s.size(), 0u);
}

TEST(auth_revocations, cluster_message_round_trip_and_hostile_input) {
  std::vector<revocation> list{{"jti", "a", 10}, {"sid", "b", 20}};
  auto back = decode_revocations(encode_revocations("node-1", list));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].kind, "sid");
  EXPECT_EQ(back[1].id, "b");
  EXPECT_EQ(back[1].until, 20);
  EXPECT_TRUE(decode_revocations("not json").empty());
  EXPECT_TRUE(
      decode_revocations(R"({"revocations":[{"kind":"root","id":"x","until":1}]})").empty());
  EXPECT_TRUE(decode_revocations(R"({"revocations":[{"kind":"jti","id":5,"until":1}]})").empty());
}

TEST(auth_user_cache, entries_expire_and_are_erased) {
  user_cache c{std::chrono::seconds(30), 2};
  auto t = user_cache::clock::time_point{} + std::chrono::hours(1);
  user_view u;
  u.id = "u1";
  c.put(u, t);
  EXPECT_NE(c.find("u1", t + std::chrono::seconds(29)), nullptr);
  EXPECT_EQ(c.find("u1", t + std::chrono::seconds(30)), nullptr);
  c.erase("u1");
  EXPECT_EQ(c.size(), 0u);
  for (auto id : {"a", "b", "c"}) {
    u.id = id;
    c.put(u, t);
  }
  EXPECT_LE(c.size(), 2u);
}

// A view fetched while a change was in flight must not be cached after the
// change's invalidation (it would be served stale until the TTL).
TEST(auth_user_cache, a_fetch_that_raced_an_invalidation_is_not_cached) {
  user_cache c;
  auto t = user_cache::clock::time_point{} + std::chrono::hours(1);
  user_view u;
  u.id = "u1";
  auto seen = c.generation();
  c.erase("u1"); // the change lands while the fetch is under way
  c.put_if_current(u, t, seen);
  EXPECT_EQ(c.find("u1", t), nullptr);
  c.put_if_current(u, t, c.generation());
  EXPECT_NE(c.find("u1", t), nullptr);
}

// The rate limiter checks the token, then the route checks it again in the
// same dispatch: the second check is served from a one-entry memo.
TEST_F(gate_test, a_repeated_check_in_the_same_second_skips_the_cache) {
  ASSERT_TRUE(gate.check(&header, t0));
  auto again = gate.check(&header, t0);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->sub, claims.sub);
  EXPECT_EQ(gate.cache().hits() + gate.cache().misses(), 1u);
  gate.revoke({{"jti", claims.jti, claims.exp + clock_leeway_s}}, t0); // clears the memo
  EXPECT_TRUE(unauthorized(gate.check(&header, t0)));
}
