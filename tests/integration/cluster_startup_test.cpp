// Several nodes starting at the same moment against one empty database: all
// become ready and every migration is applied exactly once (the advisory lock
// in persistence/pg/migrations.cpp), with one shared key folder.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/pg_test_support.hpp"
#include "tests/integration/support/haven_process.hpp"
#include "tests/integration/support/stack.hpp"

namespace {

using namespace std::chrono_literals;

TEST(ClusterStartup, ThreeNodesAtOnceOnAnEmptyDatabaseAllBecomeReadyMigratedOnce) {
  haven::test::stack stack;
  auto keys = std::filesystem::temp_directory_path() / ("haven-keys-" + std::to_string(::getpid()));
  std::filesystem::remove_all(keys);
  std::vector<std::unique_ptr<haven::test::haven_process>> nodes;
  for (int i = 0; i < 3; ++i) {
    auto env = haven::test::node_env(stack, {{"HAVEN_NODE_ID", "node-" + std::to_string(i)},
                                             {"HAVEN_JWT_KEY_DIR", keys.string()}});
    nodes.push_back(std::make_unique<haven::test::haven_process>(
        env, std::vector<std::string>{"serve"}, false));
  }
  for (auto& n : nodes) {
    ASSERT_TRUE(n->wait_listening(30s)) << n->stderr_text();
    EXPECT_TRUE(n->wait_until_ready(30s)) << n->stderr_text();
  }
  auto rows = haven::test::query(stack.pg_url(),
                                 "SELECT version, count(*) FROM schema_migrations GROUP BY version "
                                 "ORDER BY version");
  ASSERT_FALSE(rows.empty());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], std::to_string(i + 1)) << "versions are applied in order, none skipped";
    EXPECT_EQ(rows[i][1], "1") << "version " << rows[i][0] << " applied more than once";
  }
  // One signing key for all: nodes pointed at one folder share keys.
  size_t key_files = 0;
  for (auto& f : std::filesystem::directory_iterator(keys))
    key_files += f.path().extension() == ".key";
  EXPECT_EQ(key_files, 1u);
  for (auto& n : nodes) {
    n->send_signal(SIGTERM);
    EXPECT_EQ(n->wait_exit(15s), std::optional<int>{0});
  }
  std::filesystem::remove_all(keys);
}

} // namespace
