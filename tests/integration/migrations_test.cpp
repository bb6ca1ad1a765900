// Migrations against a real PostgreSQL: each test uses a fresh database.
#include <atomic>
#include <thread>

#include "persistence/pg/migrations.hpp"
#include "tests/integration/pg_test_support.hpp"

namespace {

using namespace haven::test;
using haven::errc;

class Migrations : public pg_suite {
 protected:
  // A new empty database; returns its connection string.
  static std::string fresh_database() {
    const auto name = unique_name("mig");
    query(stack_->pg_url(), "CREATE DATABASE " + name);
    return "postgresql://postgres@127.0.0.1:" + std::to_string(stack_->pg_port()) + "/" + name;
  }

  static size_t embedded_count() {
    auto list = haven::pg::embedded_migrations();
    return list ? list->size() : 0;
  }
};

TEST_F(Migrations, EmptyDatabaseGetsEverythingThenSecondRunIsANoOp) {
  const auto url = fresh_database();
  auto n = haven::apply_migrations(url, 10s);
  ASSERT_TRUE(n) << describe(n.error());
  EXPECT_EQ(static_cast<size_t>(*n), embedded_count());
  EXPECT_GE(*n, 1);
  auto cols =
      query(url, "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                 "WHERE table_name = 'outbox' ORDER BY ordinal_position");
  std::vector<std::vector<std::string>> want{{"seq", "bigint", "NO"},
                                             {"id", "uuid", "NO"},
                                             {"type", "text", "NO"},
                                             {"subject", "text", "NO"},
                                             {"aggregate_id", "text", "NO"},
                                             {"org_id", "uuid", "YES"},
                                             {"request_id", "text", "YES"},
                                             {"event", "text", "NO"},
                                             {"created_at", "timestamp with time zone", "NO"}};
  EXPECT_EQ(cols, want);
  auto rows = query(
      url, "SELECT version, name, applied_at IS NOT NULL FROM schema_migrations ORDER BY version");
  ASSERT_GE(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "outbox", "t"}));
  auto again = haven::apply_migrations(url, 10s);
  ASSERT_TRUE(again) << describe(again.error());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(query(url, "SELECT count(*) FROM schema_migrations").at(0).at(0),
            std::to_string(rows.size()));
}

TEST_F(Migrations, ThreeConcurrentRunsApplyEachVersionOnce) {
  const auto url = fresh_database();
  std::atomic<int> applied{0}, failed{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < 3; ++i)
    nodes.emplace_back([&] {
      auto n = haven::apply_migrations(url, 30s);
      if (n)
        applied += *n;
      else
        ++failed;
    });
  for (auto& t : nodes)
    t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(static_cast<size_t>(applied.load()), embedded_count());
  EXPECT_EQ(query(url, "SELECT count(*) = count(DISTINCT version) AND count(*) = " +
                           std::to_string(embedded_count()) + " FROM schema_migrations")
                .at(0)
                .at(0),
            "t");
}

TEST_F(Migrations, FailedMigrationIsRolledBackAndEarlierOnesStay) {
  const auto url = fresh_database();
  std::vector<haven::pg::migration> list{
      {1, "one", "CREATE TABLE one (n int);"},
      {2, "two", "CREATE TABLE two (n int);\nINSERT INTO two VALUES (1);\nSELECT 1 / 0;"},
      {3, "three", "CREATE TABLE three (n int);"}};
  auto r = haven::pg::apply_migrations(url, 10s, list);
  ASSERT_FALSE(r);
  EXPECT_EQ(code_of(r.error()), errc::internal);
  auto tables = query(url, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
                           "WHERE schemaname = 'public'");
  EXPECT_EQ(tables.at(0).at(0), "one,schema_migrations");
  EXPECT_EQ(query(url, "SELECT string_agg(version::text, ',') FROM schema_migrations").at(0).at(0),
            "1");
  list[1].sql = "CREATE TABLE two (n int);"; // fixed: the next run continues from 2
  r = haven::pg::apply_migrations(url, 10s, list);
  ASSERT_TRUE(r) << describe(r.error());
  EXPECT_EQ(*r, 2);
  EXPECT_EQ(
      query(url, "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")
          .at(0)
          .at(0),
      "1,2,3");
}

TEST_F(Migrations, WaitsForAServerThatIsStillStarting) {
  const auto url = fresh_database();
  stack_->stop("postgres");
  caf::expected<int> result{caf::error{}};
  std::thread node([&] { result = haven::apply_migrations(url, 30s); });
  std::this_thread::sleep_for(1500ms);
  stack_->start("postgres");
  node.join();
  ASSERT_TRUE(result) << describe(result.error());
  EXPECT_EQ(static_cast<size_t>(*result), embedded_count());
}

TEST(MigrationsNoServer, GivesUpAfterTheTimeout) {
  const auto url = "postgresql://postgres@127.0.0.1:" + std::to_string(free_ports(1)[0]) + "/haven";
  const auto t0 = clock_type::now();
  auto r = haven::apply_migrations(url, 1s);
  ASSERT_FALSE(r);
  EXPECT_EQ(code_of(r.error()), errc::dependency_unavailable);
  EXPECT_LT(clock_type::now() - t0, 6s);
}

} // namespace
