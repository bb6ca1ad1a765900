// The Redis client actor against a real redis-server started by the fixture
// (scripts/dev): pipelining, TTLs, Lua scripts with the NOSCRIPT fallback,
// error replies, and the circuit breaker when Redis stops, hangs and comes
// back. Time bounds are generous: they prove "fails fast, does not wait for a
// timeout per request", not speed. Measured numbers are printed.
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <caf/all.hpp>
#include <gtest/gtest.h>

#include "config/settings.hpp"
#include "messages/errors.hpp"
#include "messages/health.hpp"
#include "messages/redis.hpp"
#include "messages/type_ids.hpp"
#include "persistence/redis/redis_client.hpp"
#include "persistence/redis/redis_key.hpp"
#include "tests/integration/support/poll.hpp"
#include "tests/integration/support/stack_test.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using haven::redis_actor;
using haven::redis_command;
using haven::redis_reply;
using replies = std::vector<redis_reply>;

constexpr uint32_t store_timeout_ms = 1000;

bool is_unavailable(const caf::error& e) {
  return e.category() == haven::errc_category &&
         e.code() == static_cast<uint8_t>(haven::errc::dependency_unavailable);
}

template <class T>
caf::error error_of(const caf::expected<T>& x) {
  return x ? caf::error{} : x.error();
}

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

struct system_config : caf::actor_system_config {
  system_config() {
    add_message_types<caf::id_block::haven>();
    add_message_types<caf::id_block::haven_redis>();
  }
};

caf::expected<replies> call(caf::scoped_actor& self, const redis_actor& r,
                            std::vector<redis_command> cmds) {
  caf::expected<replies> result{caf::error{}};
  self->request(r, 30s, std::move(cmds))
      .receive([&](replies& x) { result = std::move(x); }, [&](caf::error& e) { result = e; });
  return result;
}

caf::expected<redis_reply> call_script(caf::scoped_actor& self, const redis_actor& r,
                                       haven::redis_script_call c) {
  caf::expected<redis_reply> result{caf::error{}};
  self->request(r, 30s, std::move(c))
      .receive([&](redis_reply& x) { result = std::move(x); }, [&](caf::error& e) { result = e; });
  return result;
}

bool circuit_open(caf::scoped_actor& self, const redis_actor& r) {
  bool open = false;
  self->request(r, 30s, haven::status_atom_v)
      .receive([&](bool x) { open = x; }, [&](caf::error& e) { ADD_FAILURE() << to_string(e); });
  return open;
}

// Calls GET until one succeeds or `limit` passes.
bool poll_until_up(caf::scoped_actor& self, const redis_actor& r, std::chrono::seconds limit) {
  return haven::test::eventually([&] { return call(self, r, {{{"PING"}}}); }, limit, 50ms);
}

std::string unique_id() {
  static int n = 0;
  return std::to_string(::getpid()) + "-" + std::to_string(++n) + "-" +
         std::to_string(clock_type::now().time_since_epoch().count());
}

// An event-based caller (as domain actors are): `total` one-command requests
// with `window` of them in flight; sends the elapsed microseconds to `report`.
void drive(caf::event_based_actor* self, redis_actor redis, std::string key, int total, int window,
           caf::actor report) {
  struct progress {
    int sent = 0;
    int done = 0;
    clock_type::time_point start = clock_type::now();
  };
  auto p = std::make_shared<progress>();
  auto next = std::make_shared<std::function<void()>>();
  *next = [=] {
    if (p->sent == total)
      return;
    ++p->sent;
    self->request(redis, 30s, std::vector<redis_command>{{{"INCR", key}}}).then([=](replies&) {
      if (++p->done == total)
        self->send(report,
                   std::chrono::duration<double, std::micro>(clock_type::now() - p->start).count());
      (*next)();
    });
  };
  for (int i = 0; i < window; ++i)
    (*next)();
}

class RedisClient : public haven::test::stack_test {
 protected:
  haven::config::settings settings(uint32_t db = 0) const {
    haven::config::settings s;
    s.redis_host = "127.0.0.1";
    s.redis_port = the_stack().redis_port();
    s.redis_db = db;
    s.store_timeout_ms = store_timeout_ms;
    return s;
  }
};

TEST_F(RedisClient, PipelinedSetGetIncrWithTtl) {
  system_config cfg;
  caf::actor_system sys{cfg};
  {
    caf::scoped_actor self{sys};
    auto redis = haven::spawn_redis(sys, settings());
    const auto k = haven::redis_key("test", unique_id());
    const auto c = haven::redis_key("test-counter", unique_id());
    auto r = call(self, redis,
                  {{{"SET", k, "v1", "PX", "60000"}},
                   {{"GET", k}},
                   {{"PTTL", k}},
                   {{"INCR", c}},
                   {{"INCR", c}},
                   {{"PEXPIRE", c, "60000"}},
                   {{"GET", haven::redis_key("test", "missing-" + unique_id())}}});
    ASSERT_TRUE(r) << to_string(r.error());
    ASSERT_EQ(r->size(), 7u);
    EXPECT_EQ((*r)[0].kind, redis_reply::status_kind);
    EXPECT_EQ((*r)[0].str, "OK");
    EXPECT_EQ((*r)[1].kind, redis_reply::string_kind);
    EXPECT_EQ((*r)[1].str, "v1");
    EXPECT_EQ((*r)[2].kind, redis_reply::integer_kind);
    EXPECT_GT((*r)[2].integer, 0);
    EXPECT_LE((*r)[2].integer, 60000);
    EXPECT_EQ((*r)[3].integer, 1);
    EXPECT_EQ((*r)[4].integer, 2);
    EXPECT_EQ((*r)[5].integer, 1);
    EXPECT_EQ((*r)[6].kind, redis_reply::nil_kind);

    auto empty = call(self, redis, {});
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
    auto bad = call(self, redis, {{{}}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code(), static_cast<uint8_t>(haven::errc::internal));

    // Measured, not asserted: one big pipeline, then one command per request.
    constexpr int n = 10000;
    std::vector<redis_command> incrs(n, redis_command{{"INCR", c}});
    auto start = clock_type::now();
    auto big = call(self, redis, incrs);
    const double pipelined_us = ms_since(start) * 1000 / n;
    ASSERT_TRUE(big);
    ASSERT_EQ(big->size(), static_cast<size_t>(n));
    EXPECT_EQ(big->back().integer, n + 2);
    constexpr int m = 2000;
    start = clock_type::now();
    for (int i = 0; i < m; ++i)
      ASSERT_TRUE(call(self, redis, {{{"INCR", c}}}));
    const double single_us = ms_since(start) * 1000 / m;
    std::printf("[ measured ] pipelined INCR: %.2f us/command (%d in one message); "
                "one INCR per request (actor round trip + Redis): %.1f us\n",
                pipelined_us, n, single_us);
    EXPECT_FALSE(circuit_open(self, redis));
    caf::anon_send_exit(redis, caf::exit_reason::user_shutdown);
  }
}

TEST_F(RedisClient, ConcurrentRequestsAllAnswered) {
  system_config cfg;
  caf::actor_system sys{cfg};
  {
    caf::scoped_actor self{sys};
    auto redis = haven::spawn_redis(sys, settings());
    const auto c = haven::redis_key("test-counter", unique_id());
    constexpr int n = 500; // more than workers: they queue, none is lost
    using handle = decltype(self->request(redis, 30s, std::vector<redis_command>{}));
    std::vector<handle> pending; // all sent before any answer is read
    for (int i = 0; i < n; ++i)
      pending.push_back(self->request(
          redis, 30s, std::vector<redis_command>{{{"INCR", c}}, {{"EXPIRE", c, "60"}}}));
    int ok = 0;
    for (auto& h : pending)
      h.receive([&](replies& r) { ok += r.size() == 2 ? 1 : 0; },
                [&](caf::error& e) { ADD_FAILURE() << to_string(e); });
    EXPECT_EQ(ok, n);
    auto r = call(self, redis, {{{"GET", c}}});
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[0].str, std::to_string(n));
    caf::anon_send_exit(redis, caf::exit_reason::user_shutdown);
  }
}

TEST_F(RedisClient, MeasuredLatencyFromAnActor) {
  system_config cfg;
  caf::actor_system sys{cfg};
  {
    caf::scoped_actor self{sys};
    auto redis = haven::spawn_redis(sys, settings());
    const auto key = haven::redis_key("test-counter", unique_id());
    ASSERT_TRUE(call(self, redis, {{{"SET", key, "0", "EX", "60"}}}));
    for (int window : {1, 32}) {
      constexpr int total = 5000;
      sys.spawn(drive, redis, key, total, window, caf::actor{self});
      self->receive([&](double us) {
        std::printf("[ measured ] one INCR per request from an event-based actor, %d in flight: "
                    "%.1f us per request, %.0f requests/s\n",
                    window, us / total, total / us * 1e6);
      });
    }
    caf::anon_send_exit(redis, caf::exit_reason::user_shutdown);
  }
}

TEST_F(RedisClient, ErrorReplyIsAValueNotAFailure) {
  system_config cfg;
  caf::actor_system sys{cfg};
  {
    caf::scoped_actor self{sys};
    auto redis = haven::spawn_redis(sys, settings());
    const auto k = haven::redis_key("test", unique_id());
    auto r = call(
        self, redis,
        {{{"SET", k, "x", "EX", "60"}}, {{"LPUSH", k, "1"}}, {{"GET", k}}, {{"NOSUCHCOMMAND"}}});
    ASSERT_TRUE(r) << to_string(r.error());
    ASSERT_EQ(r->size(), 4u);
    EXPECT_EQ((*r)[1].kind, redis_reply::error_kind);
    EXPECT_EQ((*r)[1].str.rfind("WRONGTYPE", 0), 0u) << (*r)[1].str;
    EXPECT_EQ((*r)[2].str, "x"); // the pipeline went on
    EXPECT_EQ((*r)[3].kind, redis_reply::error_kind);
    EXPECT_FALSE(circuit_open(self, redis));
    caf::anon_send_exit(redis, caf::exit_reason::user_shutdown);
  }
}

TEST_F(RedisClient, SelectsTheConfiguredDatabase) {
  system_config cfg;
  caf::actor_system sys{cfg};
  {
    caf::scoped_actor self{sys};
    auto db1 = haven::spawn_redis(sys, settings(1));
    auto db0 = haven::spawn_redis(sys, settings(0));
    const auto k = haven::redis_key("test", unique_id());
    ASSERT_TRUE(call(self, db1, {{{"SET", k, "in-db1", "EX", "60"}}}));
    auto r1 = call(self, db1, {{{"GET", k}}});
    auto r0 = call(self, db0, {{{"GET", k}}});
    ASSERT_TRUE(r1);
    ASSERT_TRUE(r0);
    EXPECT_EQ((*r1)[0].str, "in-db1");
    EXPECT_EQ((*r0)[0].kind, redis_reply::nil_kind);
    caf::anon_send_exit(db1, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(db0, caf::exit_reason::user_shutdown);
  }
}

TEST_F(RedisClient, LuaScriptWithEvalshaAndNoscriptFallback) {
  const std::string incr_src = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
  system_config cfg;
  caf::actor_system sys{cfg};
  {
    caf::scoped_actor self{sys};
    haven::redis_options opts;
    opts.scripts.push_back({"incrby", incr_src});
    auto redis = haven::spawn_redis(sys, settings(), opts);
    const auto k = haven::redis_key("test-script", unique_id());
    auto run = [&] { return call_script(self, redis, {"incrby", {k}, {"5"}}); };
    // Twice per worker: the first loads, the second is an EVALSHA.
    for (int i = 1; i <= 4; ++i) {
      auto r = run();
      ASSERT_TRUE(r) << to_string(r.error());
      EXPECT_EQ(r->kind, redis_reply::integer_kind);
      EXPECT_EQ(r->integer, 5 * i);
    }
    auto loaded = call(self, redis, {{{"SCRIPT", "LOAD", incr_src}}});
    ASSERT_TRUE(loaded);
    const auto sha = (*loaded)[0].str;
    ASSERT_EQ(sha.size(), 40u);
    // Redis forgets every script: the next calls get NOSCRIPT and fall back.
    auto flushed = call(self, redis, {{{"SCRIPT", "FLUSH"}}, {{"SCRIPT", "EXISTS", sha}}});
    ASSERT_TRUE(flushed);
    ASSERT_EQ((*flushed)[1].elements.size(), 1u);
    EXPECT_EQ((*flushed)[1].elements[0].integer, 0);
    for (int i = 5; i <= 8; ++i) {
      auto r = run();
      ASSERT_TRUE(r) << to_string(r.error());
      EXPECT_EQ(r->integer, 5 * i);
    }
    auto exists = call(self, redis, {{{"SCRIPT", "EXISTS", sha}}});
    ASSERT_TRUE(exists);
    EXPECT_EQ((*exists)[0].elements[0].integer, 1); // re-loaded by the fallback

    // Registered by message, replaced, and a script error as a reply.
    haven::register_script(redis, "echo", "return ARGV[1]");
    auto echo = call_script(self, redis, {"echo", {}, {"hello"}});
    ASSERT_TRUE(echo);
    EXPECT_EQ(echo->str, "hello");
    haven::register_script(redis, "echo", "return 'v2:' .. ARGV[1]");
    for (int i = 0; i < 2; ++i) { // both workers see the new source
      echo = call_script(self, redis, {"echo", {}, {"x"}});
      ASSERT_TRUE(echo);
      EXPECT_EQ(echo->str, "v2:x");
    }
    haven::register_script(redis, "broken", "return redis.call('NOSUCH')");
    auto broken = call_script(self, redis, {"broken", {}, {}});
    ASSERT_TRUE(broken);
    EXPECT_EQ(broken->kind, redis_reply::error_kind);
    haven::register_script(redis, "syntax", "this is not lua");
    auto syntax = call_script(self, redis, {"syntax", {}, {}});
    ASSERT_TRUE(syntax);
    EXPECT_EQ(syntax->kind, redis_reply::error_kind);
    auto unknown = call_script(self, redis, {"nope", {}, {}});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code(), static_cast<uint8_t>(haven::errc::internal));
    EXPECT_FALSE(circuit_open(self, redis));
    caf::anon_send_exit(redis, caf::exit_reason::user_shutdown);
  }
}

TEST_F(RedisClient, RedisStoppedFailsFastThenRecoversWithoutRestart) {
  system_config cfg;
  caf::actor_system sys{cfg};
  {
    caf::scoped_actor self{sys};
    haven::redis_options opts;
    opts.scripts.push_back({"get", "return redis.call('GET', KEYS[1])"});
    auto redis = haven::spawn_redis(sys, settings(), opts);
    const auto k = haven::redis_key("test", unique_id());
    ASSERT_TRUE(call(self, redis, {{{"SET", k, "before", "EX", "60"}}}));
    ASSERT_TRUE(call_script(self, redis, {"get", {k}, {}}));

    stack_->stop("redis");
    auto start = clock_type::now();
    auto first = call(self, redis, {{{"GET", k}}});
    const double first_ms = ms_since(start);
    ASSERT_FALSE(first);
    EXPECT_TRUE(is_unavailable(first.error())) << to_string(first.error());
    EXPECT_LT(first_ms, store_timeout_ms + 1000.0); // refused at once, no hang
    EXPECT_TRUE(circuit_open(self, redis));

    constexpr int n = 100;
    start = clock_type::now();
    for (int i = 0; i < n; ++i) {
      auto r = i % 2 == 0 ? error_of(call(self, redis, {{{"GET", k}}}))
                          : error_of(call_script(self, redis, {"get", {k}, {}}));
      EXPECT_TRUE(is_unavailable(r)) << to_string(r);
    }
    const double fast_ms = ms_since(start);
    EXPECT_LT(fast_ms, 1000.0); // 100 calls: no per-request timeout wait
    std::printf(
        "[ measured ] Redis stopped: first call %.2f ms; then %.1f us per call (%d calls)\n",
        first_ms, fast_ms * 1000 / n, n);

    stack_->start("redis"); // a new, empty server: no key, no script cache
    start = clock_type::now();
    ASSERT_TRUE(poll_until_up(self, redis, 10s));
    std::printf("[ measured ] Redis started again: calls succeed after %.0f ms\n", ms_since(start));
    EXPECT_FALSE(circuit_open(self, redis));
    for (int i = 0; i < 4; ++i) { // every worker reconnects and reloads the script
      ASSERT_TRUE(call(self, redis, {{{"SET", k, "after", "EX", "60"}}}));
      auto r = call_script(self, redis, {"get", {k}, {}});
      ASSERT_TRUE(r) << to_string(r.error());
      EXPECT_EQ(r->str, "after");
    }
    caf::anon_send_exit(redis, caf::exit_reason::user_shutdown);
  }
}

TEST_F(RedisClient, HungRedisTimesOutOnceThenFailsFast) {
  system_config cfg;
  caf::actor_system sys{cfg};
  {
    caf::scoped_actor self{sys};
    auto redis = haven::spawn_redis(sys, settings());
    const auto k = haven::redis_key("test", unique_id());
    ASSERT_TRUE(call(self, redis, {{{"SET", k, "v", "EX", "60"}}}));

    stack_->freeze("redis");
    // Requests already on their way when it hung: each ends within about
    // one timeout, not one timeout per queued request.
    auto start = clock_type::now();
    constexpr int queued = 20;
    using handle = decltype(self->request(redis, 30s, std::vector<redis_command>{}));
    std::vector<handle> pending;
    for (int i = 0; i < queued; ++i)
      pending.push_back(self->request(redis, 30s, std::vector<redis_command>{{{"GET", k}}}));
    for (auto& h : pending)
      h.receive([&](replies&) { ADD_FAILURE() << "answered while hung"; },
                [&](caf::error& e) { EXPECT_TRUE(is_unavailable(e)) << to_string(e); });
    const double queued_ms = ms_since(start);
    EXPECT_LT(queued_ms, 3.0 * store_timeout_ms + 1500);
    EXPECT_TRUE(circuit_open(self, redis));

    start = clock_type::now();
    for (int i = 0; i < 100; ++i)
      EXPECT_TRUE(is_unavailable(error_of(call(self, redis, {{{"GET", k}}}))));
    const double fast_ms = ms_since(start);
    EXPECT_LT(fast_ms, 1000.0);
    std::printf("[ measured ] Redis hung: %d queued requests failed within %.0f ms; then %.1f us "
                "per call\n",
                queued, queued_ms, fast_ms * 10);

    stack_->thaw("redis");
    start = clock_type::now();
    ASSERT_TRUE(poll_until_up(self, redis, 10s));
    std::printf("[ measured ] Redis thawed: calls succeed after %.0f ms\n", ms_since(start));
    auto r = call(self, redis, {{{"GET", k}}});
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[0].str, "v");
    caf::anon_send_exit(redis, caf::exit_reason::user_shutdown);
  }
}

TEST(RedisClientNoServer, NobodyListensFailsFastAndSpawnDoesNotBlock) {
  system_config cfg;
  caf::actor_system sys{cfg};
  {
    caf::scoped_actor self{sys};
    haven::config::settings s;
    s.redis_host = "127.0.0.1";
    s.redis_port = haven::test::free_ports(1)[0];
    s.store_timeout_ms = store_timeout_ms;
    auto start = clock_type::now();
    auto redis = haven::spawn_redis(sys, s);
    EXPECT_FALSE(circuit_open(self, redis)); // not known to be down before a call
    for (int i = 0; i < 50; ++i) {
      auto r = call(self, redis, {{{"PING"}}});
      ASSERT_FALSE(r);
      EXPECT_TRUE(is_unavailable(r.error()));
    }
    EXPECT_LT(ms_since(start), 2000.0);
    EXPECT_TRUE(circuit_open(self, redis));
    caf::anon_send_exit(redis, caf::exit_reason::user_shutdown);
  }
}

} // namespace
