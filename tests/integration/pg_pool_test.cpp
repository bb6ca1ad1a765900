// The PostgreSQL pool against a real server (scripts/dev via the stack
// fixture): concurrency, pipelines, transactions, conflicts, stats.
// Fault tests (timeouts, server stopped or hung) are in pg_pool_faults_test.cpp.
#include <cstdio>

#include "persistence/pg/pg_connection.hpp"
#include "persistence/pg/pg_pool.hpp"
#include "tests/integration/pg_test_support.hpp"

namespace {

using namespace haven::test;
using haven::errc;
using haven::pg_batch;
using haven::pg_pool_actor;

class PgPool : public pg_suite {};

TEST_F(PgPool, TwoHundredConcurrentBatchesOnFourConnections) {
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  const auto table = unique_name("conc");
  auto pool = haven::spawn_pg_pool(sys, settings(4));
  {
    caf::scoped_actor self{sys};
    ASSERT_TRUE(call(self, pool, batch({stmt("CREATE TABLE " + table + " (n int PRIMARY KEY)")})));
    std::vector<decltype(self->request(pool, caf::infinite, haven::pg_batch{}))> pending;
    for (int i = 0; i < 200; ++i) // all sent before any answer is read
      pending.push_back(
          self->request(pool, std::chrono::seconds{30},
                        batch({stmt("INSERT INTO " + table + " VALUES ($1)", {std::to_string(i)}),
                               stmt("SELECT count(*) FROM pg_sleep(0.001)")})));
    int ok = 0;
    for (auto& p : pending)
      p.receive([&](rows& r) { ok += r.size() == 2 && r[0].affected == 1 ? 1 : 0; },
                [&](caf::error& e) { ADD_FAILURE() << describe(e); });
    EXPECT_EQ(ok, 200);
    auto count = call(self, pool, batch({stmt("SELECT count(*) FROM " + table)}));
    ASSERT_TRUE(count) << describe(count.error());
    EXPECT_EQ(count->at(0).rows.at(0).at(0).text, "200");
    auto s = stats_of(self, pool);
    EXPECT_EQ(s.size, 4u);
    EXPECT_EQ(s.in_use, 0u);
    EXPECT_EQ(s.idle, 4u);
    EXPECT_EQ(s.queued, 0u);
    EXPECT_GE(s.connected, 1u);
    EXPECT_GE(s.served, 202u);
    EXPECT_EQ(s.errors, 0u);
    EXPECT_FALSE(s.circuit_open);
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_F(PgPool, PipelinedBatchReturnsOneResultPerStatement) {
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  const auto table = unique_name("pipe");
  auto pool = haven::spawn_pg_pool(sys, settings(2));
  {
    caf::scoped_actor self{sys};
    auto null_param = stmt("SELECT $1::text IS NULL AS was_null, $2::text AS echo");
    null_param.params = {haven::pg_value::null(), haven::pg_value::of("héllo 'quoted' \\ $1")};
    auto r = call(
        self, pool,
        batch({stmt("CREATE TABLE " + table + " (id serial PRIMARY KEY, v text)"),
               stmt("INSERT INTO " + table + " (v) VALUES ($1), ($2) RETURNING id", {"a", "b"}),
               stmt("UPDATE " + table + " SET v = v || '!' WHERE v = $1", {"a"}),
               stmt("SELECT id, v, NULL::text AS nothing FROM " + table + " ORDER BY id"),
               null_param}));
    ASSERT_TRUE(r) << describe(r.error());
    ASSERT_EQ(r->size(), 5u);
    EXPECT_EQ((*r)[1].affected, 2u);
    ASSERT_EQ((*r)[1].rows.size(), 2u);
    EXPECT_EQ((*r)[1].rows[0][0].text, "1");
    EXPECT_EQ((*r)[2].affected, 1u);
    auto& sel = (*r)[3];
    EXPECT_EQ(sel.columns, (std::vector<std::string>{"id", "v", "nothing"}));
    ASSERT_EQ(sel.rows.size(), 2u);
    EXPECT_EQ(sel.rows[0][1].text, "a!");
    EXPECT_FALSE(sel.rows[0][1].is_null);
    EXPECT_TRUE(sel.rows[0][2].is_null);
    EXPECT_EQ(sel.affected, 2u);
    EXPECT_EQ((*r)[4].rows.at(0).at(0).text, "t");
    EXPECT_EQ((*r)[4].rows.at(0).at(1).text, "héllo 'quoted' \\ $1"); // parameters are never SQL
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_F(PgPool, FailedTransactionWritesNothingAndTheConnectionStaysUsable) {
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  const auto table = unique_name("tx");
  auto pool = haven::spawn_pg_pool(sys, settings(1)); // one connection: the next batch reuses it
  {
    caf::scoped_actor self{sys};
    ASSERT_TRUE(call(self, pool, batch({stmt("CREATE TABLE " + table + " (n int)")})));
    const auto insert = "INSERT INTO " + table + " VALUES ($1)";
    auto r = call(
        self, pool,
        batch({stmt(insert, {"1"}), stmt(insert, {"2"}), stmt("SELECT 1 / 0"), stmt(insert, {"3"})},
              true));
    ASSERT_FALSE(r);
    EXPECT_EQ(code_of(r), errc::internal) << describe(r.error());
    EXPECT_TRUE(r.error().context().empty()); // no SQL details for clients
    // Without `transaction` a pipeline is still one implicit transaction.
    r = call(self, pool, batch({stmt(insert, {"4"}), stmt(insert, {"not a number"})}));
    EXPECT_EQ(code_of(r), errc::internal);
    auto alive = call(self, pool, batch({stmt("SELECT count(*) FROM " + table)}));
    ASSERT_TRUE(alive) << describe(alive.error()); // not stuck in an aborted transaction
    EXPECT_EQ(alive->at(0).rows.at(0).at(0).text, "0");
    auto ok = call(self, pool, batch({stmt(insert, {"5"}), stmt(insert, {"6"})}, true));
    ASSERT_TRUE(ok) << describe(ok.error());
    EXPECT_EQ(ok->size(), 2u); // BEGIN and COMMIT are not the caller's results
    // Seen from another connection: committed, and nothing of the failed batches.
    auto outside =
        query(stack_->pg_url(), "SELECT string_agg(n::text, ',' ORDER BY n) FROM " + table);
    ASSERT_EQ(outside.size(), 1u);
    EXPECT_EQ(outside[0][0], "5,6");
    auto s = stats_of(self, pool);
    EXPECT_EQ(s.errors, 2u);
    EXPECT_EQ(s.connected, 1u);
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_F(PgPool, UniqueViolationIsConflictWithTheConstraintName) {
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  const auto table = unique_name("uniq");
  auto pool = haven::spawn_pg_pool(sys, settings(2));
  {
    caf::scoped_actor self{sys};
    ASSERT_TRUE(call(self, pool,
                     batch({stmt("CREATE TABLE " + table + " (email text CONSTRAINT " + table +
                                 "_email_key UNIQUE)")})));
    const auto insert = "INSERT INTO " + table + " VALUES ($1)";
    ASSERT_TRUE(call(self, pool, batch({stmt(insert, {"a@example.org"})})));
    auto r = call(self, pool, batch({stmt(insert, {"a@example.org"})}));
    ASSERT_FALSE(r);
    EXPECT_EQ(code_of(r), errc::conflict);
    // The name is for the code that maps it, never the client message (audit L6).
    EXPECT_EQ(haven::conflict_constraint(r.error()), table + "_email_key");
    // Same inside a transaction: the earlier insert is rolled back too.
    r = call(self, pool,
             batch({stmt(insert, {"b@example.org"}), stmt(insert, {"a@example.org"})}, true));
    EXPECT_EQ(code_of(r), errc::conflict);
    auto count = call(self, pool, batch({stmt("SELECT count(*) FROM " + table)}));
    ASSERT_TRUE(count);
    EXPECT_EQ(count->at(0).rows.at(0).at(0).text, "1");
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_F(PgPool, EmptyBatchIsAnsweredWithoutTheDatabase) {
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  auto pool = haven::spawn_pg_pool(sys, settings(1));
  {
    caf::scoped_actor self{sys};
    auto r = call(self, pool, pg_batch{});
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->empty());
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_F(PgPool, LargePipelineDoesNotDeadlock) {
  // Megabytes both ways: the server writes results while we still send, so
  // the sender must keep reading (or both sides block on full buffers).
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  auto pool = haven::spawn_pg_pool(sys, settings(1, 10000));
  {
    caf::scoped_actor self{sys};
    const std::string payload(2048, 'x');
    pg_batch big;
    for (int i = 0; i < 5000; ++i)
      big.statements.push_back(stmt("SELECT $1::text || $2", {payload, std::to_string(i)}));
    auto r = call(self, pool, big);
    ASSERT_TRUE(r) << describe(r.error());
    ASSERT_EQ(r->size(), 5000u);
    EXPECT_EQ(r->back().rows.at(0).at(0).text, payload + "4999");
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

double us_per(clock_type::time_point since, int n) {
  return std::chrono::duration<double, std::micro>(clock_type::now() - since).count() / n;
}

// Not a benchmark (bench/ has those): prints the costs the pool's design
// relies on, with a generous sanity bound only.
TEST_F(PgPool, PipelineVersusOneStatementAtATime) {
  constexpr int n = 500;
  auto select = [](int i) { return stmt("SELECT $1::int", {std::to_string(i)}); };
  // The bare connection, no actors: the floor for one statement per round trip.
  haven::pg::connection raw{stack_->pg_url()};
  ASSERT_TRUE(raw.connect(clock_type::now() + 10s).ok());
  auto t0 = clock_type::now();
  for (int i = 0; i < n; ++i)
    ASSERT_TRUE(raw.run(batch({select(i)}), clock_type::now() + 10s, 1s).ok());
  const double raw_us = us_per(t0, n);
  pg_system_config cfg;
  caf::actor_system sys{cfg};
  auto pool = haven::spawn_pg_pool(sys, settings(1));
  auto pool4 = haven::spawn_pg_pool(sys, settings(4));
  {
    caf::scoped_actor self{sys};
    ASSERT_TRUE(poll_until_up(self, pool, 10s)); // connected before timing
    t0 = clock_type::now();
    for (int i = 0; i < n; ++i)
      ASSERT_TRUE(call(self, pool, batch({select(i)})));
    const double single_us = us_per(t0, n);
    pg_batch big;
    for (int i = 0; i < n; ++i)
      big.statements.push_back(select(i));
    t0 = clock_type::now();
    auto r = call(self, pool, big);
    const double piped_us = us_per(t0, n);
    ASSERT_TRUE(r) << describe(r.error());
    EXPECT_EQ(r->size(), static_cast<size_t>(n));
    EXPECT_EQ(r->back().rows.at(0).at(0).text, std::to_string(n - 1));
    // Many callers at once on 4 connections (at most the queue bound in flight).
    for (int i = 0; i < 8; ++i)
      ASSERT_TRUE(call(self, pool4, batch({select(i)}))); // warm up
    std::vector<decltype(self->request(pool4, caf::infinite, haven::pg_batch{}))> pending;
    t0 = clock_type::now();
    for (int i = 0; i < 250; ++i)
      pending.push_back(self->request(pool4, std::chrono::seconds{30}, batch({select(i)})));
    for (auto& p : pending)
      p.receive([](rows&) {}, [](caf::error& e) { ADD_FAILURE() << describe(e); });
    const double concurrent_us = us_per(t0, 250);
    std::printf(
        "pg: bare connection %.1f us/statement; through the pool: %.1f us per one-statement "
        "batch, %.1f us per statement in a %d-statement pipelined batch, %.1f us per batch "
        "(amortized) with 250 concurrent one-statement batches on 4 connections\n",
        raw_us, single_us, piped_us, n, concurrent_us);
    RecordProperty("bare_statement_us", std::to_string(raw_us));
    RecordProperty("single_statement_batch_us", std::to_string(single_us));
    RecordProperty("pipelined_statement_us", std::to_string(piped_us));
    RecordProperty("concurrent_batch_us", std::to_string(concurrent_us));
    EXPECT_LT(piped_us, single_us); // the point of pipelining
  }
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(pool4, caf::exit_reason::user_shutdown);
}

} // namespace
