#include "actors/rate_buckets/bucket_table.hpp"

#include <gtest/gtest.h>

#include "actors/rate_buckets/lease_script.hpp"

using namespace haven::rate;

namespace {

const rate_policy hundred_per_minute{100, 60000};
const std::string key = "haven:rl:free:u1";

/// One Redis key run through the script's arithmetic (lease_script.hpp).
struct fake_redis {
  double tat = 0;
  int64_t now = 1'000'000; // Redis's clock, unrelated to the nodes' clocks
  int64_t calls = 0;
  lease_grant run(const lease_order& o) {
    ++calls;
    auto r = apply_lease(tat, now, o.policy.interval_ms(), o.policy.window_ms, o.want, o.charge);
    tat = r.tat_ms;
    return {r.granted, r.tat_ms, now};
  }
};

} // namespace

TEST(lease_script, grants_up_to_the_free_budget_and_advances_the_tat) {
  auto r = apply_lease(0, 1000, 600, 60000, 10, 0);
  EXPECT_EQ(r.granted, 10);
  EXPECT_DOUBLE_EQ(r.tat_ms, 1000 + 6000);
  r = apply_lease(1000 + 59400, 1000, 600, 60000, 10, 0); // one token left
  EXPECT_EQ(r.granted, 1);
  r = apply_lease(1000 + 60000, 1000, 600, 60000, 10, 0); // none left
  EXPECT_EQ(r.granted, 0);
  EXPECT_DOUBLE_EQ(r.tat_ms, 61000);
}

TEST(lease_script, gives_back_but_never_below_now) {
  auto r = apply_lease(1000 + 6000, 1000, 600, 60000, -4, 0);
  EXPECT_DOUBLE_EQ(r.tat_ms, 1000 + 3600);
  r = apply_lease(1000 + 600, 1000, 600, 60000, -4, 0);
  EXPECT_DOUBLE_EQ(r.tat_ms, 1000);
}

TEST(lease_script, charges_are_capped_at_one_window) {
  auto r = apply_lease(0, 1000, 600, 60000, 0, 30);
  EXPECT_DOUBLE_EQ(r.tat_ms, 1000 + 18000);
  r = apply_lease(0, 1000, 600, 60000, 5, 1000);
  EXPECT_DOUBLE_EQ(r.tat_ms, 61000);
  EXPECT_EQ(r.granted, 0);
}

TEST(bucket_table, a_fresh_key_waits_for_one_lease_shared_by_concurrent_requests) {
  bucket_table t;
  auto first = t.take(key, hundred_per_minute, 0);
  ASSERT_EQ(first.v, verdict::wait);
  ASSERT_TRUE(first.lease);
  EXPECT_EQ(first.lease->want, 10); // 10 % of the limit
  auto second = t.take(key, hundred_per_minute, 1);
  EXPECT_EQ(second.v, verdict::wait);
  EXPECT_FALSE(second.lease); // shares the one in flight
  fake_redis redis;
  auto s = t.on_grant(key, redis.run(*first.lease), 2);
  ASSERT_EQ(s.decisions.size(), 2u);
  EXPECT_TRUE(s.decisions[0].allowed);
  EXPECT_TRUE(s.decisions[1].allowed);
  EXPECT_EQ(s.decisions[1].remaining, 98u); // 100 - 2 spent (unspent tokens count as free)
  EXPECT_EQ(t.tokens(key), 8u);
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(t.take(key, hundred_per_minute, 3).v, verdict::allowed);
  EXPECT_EQ(redis.calls, 1); // ten requests, one Redis call
}

TEST(bucket_table, leases_shrink_near_the_limit_and_refuse_without_asking_again) {
  bucket_table t;
  t.set_live_nodes(2);
  fake_redis redis;
  int admitted = 0;
  std::vector<int64_t> wants;
  for (int i = 0; i < 150; ++i) {
    auto o = t.take(key, hundred_per_minute, 10);
    if (o.v == verdict::allowed)
      ++admitted;
    if (o.v != verdict::wait)
      continue;
    ASSERT_TRUE(o.lease);
    wants.push_back(o.lease->want);
    auto s = t.on_grant(key, redis.run(*o.lease), 10);
    for (auto& d : s.decisions)
      admitted += d.allowed ? 1 : 0;
    ASSERT_FALSE(s.next);
  }
  EXPECT_EQ(admitted, 100);
  EXPECT_EQ(wants.back(), 1);
  auto calls = redis.calls;
  auto refused = t.take(key, hundred_per_minute, 10);
  EXPECT_EQ(refused.v, verdict::refused);
  EXPECT_EQ(refused.d.retry_after_s, 1); // one interval: 0.6 s
  EXPECT_EQ(refused.d.remaining, 0u);
  EXPECT_EQ(redis.calls, calls); // decided from the last answer
}

TEST(bucket_table, three_nodes_on_one_redis_never_admit_more_than_the_limit) {
  std::vector<bucket_table> nodes(3);
  for (auto& n : nodes)
    n.set_live_nodes(3);
  fake_redis redis;
  int admitted = 0;
  // Requests round-robin; each node's lease answers after two more requests.
  std::vector<std::vector<lease_order>> in_flight(3);
  for (int i = 0; i < 400; ++i) {
    auto& n = nodes[i % 3];
    auto o = n.take(key, hundred_per_minute, 0);
    admitted += o.v == verdict::allowed;
    if (o.lease)
      in_flight[i % 3].push_back(*o.lease);
    if (i % 3 == 2) {
      for (size_t j = 0; j < 3; ++j) {
        auto orders = std::move(in_flight[j]);
        in_flight[j].clear();
        for (auto& order : orders) {
          auto s = nodes[j].on_grant(key, redis.run(order), 0);
          for (auto& d : s.decisions)
            admitted += d.allowed;
          if (s.next)
            in_flight[j].push_back(*s.next);
        }
      }
    }
  }
  EXPECT_LE(admitted, 100);
  EXPECT_GE(admitted, 95);
}

TEST(bucket_table, idle_tokens_of_a_contended_key_go_back) {
  bucket_table t;
  fake_redis redis;
  redis.tat = redis.now + 55000; // someone used 92 of 100
  auto o = t.take(key, hundred_per_minute, 0);
  auto g = redis.run(*o.lease);
  EXPECT_EQ(g.granted, 8); // all that was free
  auto s = t.on_grant(key, g, 0);
  ASSERT_EQ(s.decisions.size(), 1u);
  EXPECT_EQ(t.tokens(key), 7u);
  EXPECT_TRUE(t.sweep(500).empty()); // not idle yet
  auto orders = t.sweep(1000);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].want, -7);
  EXPECT_EQ(t.tokens(key), 0u);
}

TEST(bucket_table, idle_tokens_of_a_quiet_key_stay_until_the_window_passes) {
  bucket_table t;
  fake_redis redis;
  auto o = t.take(key, hundred_per_minute, 0);
  t.on_grant(key, redis.run(*o.lease), 0);
  EXPECT_TRUE(t.sweep(5000).empty());
  auto orders = t.sweep(60000);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].want, -9);
}

TEST(bucket_table, degraded_mode_enforces_the_limit_divided_by_live_nodes) {
  bucket_table t;
  t.set_live_nodes(3);
  auto o = t.take(key, hundred_per_minute, 0);
  auto s = t.on_failure(key, 0);
  ASSERT_EQ(s.decisions.size(), 1u);
  EXPECT_TRUE(s.degraded);
  EXPECT_TRUE(t.degraded());
  int admitted = 1;
  for (int i = 0; i < 100; ++i) {
    auto d = t.take(key, hundred_per_minute, 0);
    EXPECT_TRUE(d.degraded);
    EXPECT_FALSE(d.lease); // never waits on Redis
    admitted += d.v == verdict::allowed;
  }
  EXPECT_EQ(admitted, 33);
  auto refused = t.take(key, hundred_per_minute, 0);
  EXPECT_EQ(refused.d.limit, 100u);      // the client's policy
  EXPECT_EQ(refused.d.retry_after_s, 2); // one local interval: 60 s / 33
}

TEST(bucket_table, degraded_mode_starts_from_the_last_cluster_view) {
  bucket_table t;
  t.set_live_nodes(2);
  fake_redis redis;
  redis.tat = redis.now + 30000; // half the window used cluster-wide
  auto o = t.take(key, hundred_per_minute, 0);
  t.on_grant(key, redis.run(*o.lease), 0);
  t.set_redis_up(false, 0);
  int admitted = 0;
  for (int i = 0; i < 100; ++i)
    admitted += t.take(key, hundred_per_minute, 0).v == verdict::allowed;
  // TAT ~35 s of 60 s used: (60 - 35) / 1.2 s per local request.
  EXPECT_EQ(admitted, 20);
}

TEST(bucket_table, redis_back_charges_degraded_spend_before_leasing_again) {
  bucket_table t;
  t.set_live_nodes(1);
  t.set_redis_up(false, 0);
  for (int i = 0; i < 30; ++i)
    EXPECT_EQ(t.take(key, hundred_per_minute, 0).v, verdict::allowed);
  t.set_redis_up(true, 500); // still inside the hold
  EXPECT_TRUE(t.degraded());
  t.set_redis_up(true, 1000);
  EXPECT_FALSE(t.degraded());
  auto o = t.take(key, hundred_per_minute, 1000);
  ASSERT_TRUE(o.lease);
  // 30 admitted, 1.67 of them refilled since: what is still inside the window.
  EXPECT_EQ(o.lease->charge, 29);
  fake_redis redis;
  auto s = t.on_grant(key, redis.run(*o.lease), 1000);
  EXPECT_TRUE(s.decisions.at(0).allowed);
  EXPECT_NEAR(redis.tat - redis.now, 39 * 600, 1e-6); // 29 charged + 10 leased
}

TEST(bucket_table, a_charge_for_a_key_without_requests_goes_out_in_the_sweep) {
  bucket_table t;
  t.set_redis_up(false, 0);
  t.take(key, hundred_per_minute, 1900);
  t.set_redis_up(true, 2000);
  auto orders = t.sweep(2000);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].want, 0);
  EXPECT_EQ(orders[0].charge, 1);
}

TEST(bucket_table, forgets_keys_once_refilled_and_idle) {
  bucket_table t;
  fake_redis redis;
  auto o = t.take(key, hundred_per_minute, 0);
  t.on_grant(key, redis.run(*o.lease), 0);
  t.sweep(30000); // quiet: keeps its tokens
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.sweep(60000).size(), 1u); // gives the 9 back, then forgets the key
  EXPECT_EQ(t.size(), 0u);
}

TEST(bucket_table, lease_size_adapts_to_free_budget_and_nodes) {
  bucket_table t;
  EXPECT_EQ(t.lease_size(hundred_per_minute, -1, 1), 10);
  t.set_live_nodes(3);
  EXPECT_EQ(t.lease_size(hundred_per_minute, 90, 1), 10);
  EXPECT_EQ(t.lease_size(hundred_per_minute, 30, 1), 5);
  EXPECT_EQ(t.lease_size(hundred_per_minute, 3, 1), 1);
  EXPECT_EQ(t.lease_size(hundred_per_minute, 0, 1), 1);
  EXPECT_EQ(t.lease_size(hundred_per_minute, 0, 4), 4); // the requests already waiting
}

TEST(bucket_table, release_all_returns_every_unspent_token) {
  bucket_table t;
  fake_redis redis;
  auto o = t.take(key, hundred_per_minute, 0);
  t.on_grant(key, redis.run(*o.lease), 0);
  auto orders = t.release_all(1);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].want, -9);
  redis.run(orders[0]);
  EXPECT_NEAR(redis.tat - redis.now, 600, 1e-6);
}
