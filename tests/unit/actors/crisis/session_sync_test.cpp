#include "actors/crisis/session_sync.hpp"

#include <gtest/gtest.h>

#include "actors/crisis/trajectory_codec.hpp"
#include "actors/crisis/trajectory_store.hpp"
#include "tests/unit/actors/crisis/trajectory_test_support.hpp"

using namespace haven;
using namespace haven::crisis;
using namespace std::chrono_literals;
namespace f = haven::crisis::feature;

namespace {

using namespace test; // msg, t0, tp

redis_reply integer(int64_t v) {
  redis_reply r;
  r.kind = redis_reply::integer_kind;
  r.integer = v;
  return r;
}

redis_reply str(std::string s) {
  redis_reply r;
  r.kind = redis_reply::string_kind;
  r.str = std::move(s);
  return r;
}

redis_reply array(std::vector<redis_reply> e) {
  redis_reply r;
  r.kind = redis_reply::array_kind;
  r.elements = std::move(e);
  return r;
}

} // namespace

TEST(crisis_session_sync, keys_are_per_user_and_session) {
  auto u1 = "0b6f6f8e-1c1e-4a51-9a3e-3f0c2b7d9a10";
  auto u2 = "7d1c9f2a-5b7e-4c3d-8e9f-0a1b2c3d4e5f";
  EXPECT_EQ(session_key(u1, "s-1"), std::string{"haven:crisis_session:"} + u1 + ":s-1");
  EXPECT_NE(session_key(u1, "s-1"), session_key(u2, "s-1")); // same session id, other user
  EXPECT_NE(session_key(u1, "s-1"), session_key(u1, "s-2"));
  EXPECT_EQ(session_key(u1, "a:b"), std::string{"haven:crisis_session:"} + u1 + ":a:b");
  // A user id that could make two keys meet ("a:b" + "c" vs "a" + "b:c") is
  // kept off Redis (node-local only); so is a missing one.
  EXPECT_EQ(session_key("a:b", "c"), "");
  EXPECT_EQ(session_key("", "c"), "");
}

TEST(crisis_session_sync, reads_the_script_replies) {
  auto w = read_cas_reply(array({integer(1), str(""), str("ev-1")}));
  EXPECT_EQ(w.kind, cas_reply::written);
  EXPECT_EQ(w.event_id, "ev-1");
  auto c = read_cas_reply(array({integer(0), str("1;0;0;0;0;0;"), str("")}));
  EXPECT_EQ(c.kind, cas_reply::conflict);
  EXPECT_EQ(c.current, "1;0;0;0;0;0;");
  EXPECT_EQ(c.event_id, "");

  redis_reply err;
  err.kind = redis_reply::error_kind;
  err.str = "WRONGTYPE Operation against a key holding the wrong kind of value";
  EXPECT_EQ(read_cas_reply(err).kind, cas_reply::invalid);
  EXPECT_EQ(read_cas_reply(redis_reply{}).kind, cas_reply::invalid); // nil
  EXPECT_EQ(read_cas_reply(array({integer(1), str("")})).kind, cas_reply::invalid);
  EXPECT_EQ(read_cas_reply(array({integer(2), str(""), str("")})).kind, cas_reply::invalid);
  EXPECT_EQ(read_cas_reply(array({str("1"), str(""), str("")})).kind, cas_reply::invalid);
  EXPECT_EQ(read_cas_reply(array({integer(0), integer(0), str("")})).kind, cas_reply::invalid);
}

TEST(crisis_session_sync, the_base_after_a_conflict) {
  trajectory_config cfg;
  trajectory stored;
  stored.observe(msg(risk_level::high, f::active), t0);
  trajectory local;
  local.observe(msg(risk_level::low, f::distress), t0);

  // What Redis holds wins over the node's copy.
  auto b = base_trajectory(encode_trajectory(stored.snapshot()), &local, cfg);
  EXPECT_EQ(b.snapshot(), stored.snapshot());
  // Nothing stored (Redis restarted or flushed): the node's copy, else fresh.
  EXPECT_EQ(base_trajectory("", &local, cfg).snapshot(), local.snapshot());
  EXPECT_EQ(base_trajectory("", nullptr, cfg).size(), 0u);
  // Unreadable or another version: a fresh trajectory, never a crash.
  EXPECT_EQ(base_trajectory("garbage", &local, cfg).size(), 0u);
  EXPECT_EQ(base_trajectory("9;whatever", &local, cfg).level(t0), risk_level::none);
}

TEST(crisis_session_sync, the_ttl_covers_the_whole_decay) {
  trajectory_config cfg;
  EXPECT_EQ(trajectory_horizon(cfg), 2h); // 4 steps of 30 min; memory is 60 min
  cfg.memory = 3h;
  EXPECT_EQ(trajectory_horizon(cfg), 3h);
  cfg.memory = 0s;
  cfg.decay_after = 0s;
  EXPECT_EQ(trajectory_horizon(cfg), 1min);
  // A held critical decays to none exactly at the horizon.
  trajectory t;
  t.observe(msg(risk_level::critical, f::active | f::plan), t0);
  EXPECT_EQ(t.level(t0 + trajectory_horizon(trajectory_config{}) - 1s), risk_level::low);
  EXPECT_EQ(t.level(t0 + trajectory_horizon(trajectory_config{})), risk_level::none);
}

TEST(crisis_session_sync, the_store_takes_a_trajectory_from_elsewhere) {
  trajectory_store store{2, 2h};
  EXPECT_EQ(store.find("a", t0), nullptr);
  trajectory t;
  t.observe(msg(risk_level::high, f::active), t0);
  store.put("a", t, t0);
  ASSERT_NE(store.find("a", t0 + 1min), nullptr);
  EXPECT_EQ(store.find("a", t0 + 1min)->snapshot(), t.snapshot());
  EXPECT_EQ(store.level("a", t0 + 1min), risk_level::high);
  // put replaces the node's copy and observe continues from it.
  trajectory calmer;
  calmer.observe(msg(risk_level::low, f::distress), t0 + 2min);
  store.put("a", calmer, t0 + 2min);
  EXPECT_EQ(store.level("a", t0 + 3min), risk_level::low);
  EXPECT_EQ(store.size(), 1u);
  // Expired copies are not found.
  EXPECT_EQ(store.find("a", t0 + 5h), nullptr);
  // Bounded like observe.
  store.put("b", t, t0 + 3min);
  store.put("c", t, t0 + 4min);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.find("a", t0 + 4min), nullptr);
}
