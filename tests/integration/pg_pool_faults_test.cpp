// The PostgreSQL pool when things go wrong: query timeouts, a full queue, the
// server stopped or hung while requests run, and no server at all. Time bounds
// are generous on purpose: they prove "answers, does not hang", not speed.
#include "persistence/pg/pg_pool.hpp"
#include "tests/integration/pg_test_support.hpp"

namespace {

using namespace haven::test;
using haven::errc;

class PgPoolFaults : public pg_suite {};

std::string backend_pid(caf::scoped_actor& self, const haven::pg_pool_actor& pool) {
  auto r = call(self, pool, batch({stmt("SELECT pg_backend_pid()")}));
  return r ? r->at(0).rows.at(0).at(0).text : "none";
}

TEST_F(PgPoolFaults, QueryTimeoutCancelsTheQueryAndKeepsTheConnection) {
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  const auto table = unique_name("slow");
  auto pool = haven::spawn_pg_pool(sys, settings(1, 300)); // one connection, 300 ms
  {
    caf::scoped_actor self{sys};
    ASSERT_TRUE(call(self, pool, batch({stmt("CREATE TABLE " + table + " (n int)")})));
    const auto pid = backend_pid(self, pool);
    auto t0 = clock_type::now();
    auto r = call(self, pool, batch({stmt("SELECT pg_sleep(30)")}));
    EXPECT_EQ(code_of(r), errc::dependency_unavailable);
    EXPECT_LT(clock_type::now() - t0, 5s);
    // Also in a transaction with an earlier write: cancelled and rolled back.
    t0 = clock_type::now();
    r = call(
        self, pool,
        batch({stmt("INSERT INTO " + table + " VALUES (1)"), stmt("SELECT pg_sleep(30)")}, true));
    EXPECT_EQ(code_of(r), errc::dependency_unavailable);
    EXPECT_LT(clock_type::now() - t0, 5s);
    EXPECT_EQ(backend_pid(self, pool), pid); // the same connection, still usable
    auto sleeping = query(stack_->pg_url(), "SELECT count(*) FROM pg_stat_activity WHERE pid <> "
                                            "pg_backend_pid() AND query LIKE '%pg_sleep(30)%'"
                                            " AND state = 'active'");
    EXPECT_EQ(sleeping.at(0).at(0), "0"); // the server really stopped them
    EXPECT_EQ(query(stack_->pg_url(), "SELECT count(*) FROM " + table).at(0).at(0), "0");
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_F(PgPoolFaults, FullQueueIsRefusedAtOnceAndQueuedBatchesTimeOut) {
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  auto pool = haven::spawn_pg_pool(sys, settings(1, 2000)); // queue bound 64
  {
    caf::scoped_actor self{sys};
    ASSERT_TRUE(poll_until_up(self, pool, 10s));
    std::vector<decltype(self->request(pool, caf::infinite, haven::pg_batch{}))> pending;
    for (int i = 0; i < 100; ++i)
      pending.push_back(
          self->request(pool, std::chrono::seconds{30}, batch({stmt("SELECT pg_sleep(0.05)")})));
    int ok = 0, overloaded = 0, unavailable = 0;
    for (auto& p : pending)
      p.receive([&](rows&) { ++ok; },
                [&](caf::error& e) {
                  auto c = code_of(e);
                  overloaded += c == errc::overloaded ? 1 : 0;
                  unavailable += c == errc::dependency_unavailable ? 1 : 0;
                  EXPECT_TRUE(c == errc::overloaded || c == errc::dependency_unavailable)
                      << describe(e);
                });
    EXPECT_EQ(ok + overloaded + unavailable, 100);
    EXPECT_GE(overloaded, 30); // 100 - 1 running - 64 queued = 35
    EXPECT_GE(ok, 10);
    EXPECT_GE(unavailable, 1); // 65 x 50 ms do not fit in the 2 s wait limit
    auto s = stats_of(self, pool);
    EXPECT_GE(s.rejected, 30u);
    EXPECT_EQ(s.queued, 0u);
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_F(PgPoolFaults, ServerStoppedWhileRequestsRunThenRestarted) {
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  auto pool = haven::spawn_pg_pool(sys, settings(4, 2000));
  {
    caf::scoped_actor self{sys};
    ASSERT_TRUE(poll_until_up(self, pool, 10s));
    std::vector<decltype(self->request(pool, caf::infinite, haven::pg_batch{}))> pending;
    for (int i = 0; i < 40; ++i)
      pending.push_back(
          self->request(pool, std::chrono::seconds{30}, batch({stmt("SELECT pg_sleep(0.05)")})));
    stack_->stop("postgres");
    for (auto& p : pending) // every request answered: results, or a clean 503
      p.receive([](rows&) {},
                [](caf::error& e) {
                  EXPECT_EQ(code_of(e), errc::dependency_unavailable) << describe(e);
                });
    const auto t0 = clock_type::now();
    for (int i = 0; i < 20; ++i) {
      auto r = call(self, pool, batch({stmt("SELECT 1")}));
      EXPECT_EQ(code_of(r), errc::dependency_unavailable);
    }
    EXPECT_LT(clock_type::now() - t0, 10s);
    auto s = stats_of(self, pool);
    EXPECT_GT(s.rejected, 0u); // the circuit made later calls fail at once
    stack_->start("postgres");
    ASSERT_TRUE(poll_until_up(self, pool, 15s)); // the same pool, not restarted
    pending.clear();
    for (int i = 0; i < 20; ++i)
      pending.push_back(self->request(pool, std::chrono::seconds{30}, batch({stmt("SELECT 1")})));
    int ok = 0;
    for (auto& p : pending)
      p.receive([&](rows&) { ++ok; }, [](caf::error& e) { ADD_FAILURE() << describe(e); });
    EXPECT_EQ(ok, 20);
    EXPECT_FALSE(stats_of(self, pool).circuit_open);
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_F(PgPoolFaults, HungServerCallsStayBoundedThenRecover) {
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  auto pool = haven::spawn_pg_pool(sys, settings(2, 500));
  {
    caf::scoped_actor self{sys};
    ASSERT_TRUE(poll_until_up(self, pool, 10s));
    stack_->freeze("postgres");
    const auto t0 = clock_type::now();
    for (int i = 0; i < 10; ++i) {
      const auto t = clock_type::now();
      auto r = call(self, pool, batch({stmt("SELECT 1")}));
      EXPECT_EQ(code_of(r), errc::dependency_unavailable);
      EXPECT_LT(clock_type::now() - t, 4s); // timeout + cancel grace (+ a busy box)
    }
    EXPECT_LT(clock_type::now() - t0, 20s);
    EXPECT_GT(stats_of(self, pool).rejected, 0u);
    stack_->thaw("postgres");
    EXPECT_TRUE(poll_until_up(self, pool, 15s));
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST(PgPoolNoServer, FailsFastWithoutAServer) {
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  haven::config::settings s;
  s.pg_url = "postgresql://postgres@127.0.0.1:" + std::to_string(free_ports(1)[0]) + "/haven";
  s.pg_pool_size = 2;
  s.store_timeout_ms = 2000;
  auto pool = haven::spawn_pg_pool(sys, s);
  {
    caf::scoped_actor self{sys};
    const auto t0 = clock_type::now();
    for (int i = 0; i < 50; ++i)
      EXPECT_EQ(code_of(call(self, pool, batch({stmt("SELECT 1")}))), errc::dependency_unavailable);
    EXPECT_LT(clock_type::now() - t0, 10s);
    auto st = stats_of(self, pool);
    EXPECT_TRUE(st.circuit_open);
    EXPECT_EQ(st.connected, 0u);
    EXPECT_GT(st.rejected, 0u);
    EXPECT_EQ(st.errors, 50u);
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

} // namespace
