// HAVEN_ARGON_MEMORY_KIB, HAVEN_ARGON_ITERATIONS and HAVEN_HASH_WORKERS against
// the real binary and stack: new hashes carry the configured cost, and a login
// on a node with another cost replaces the stored hash (docs/auth.md,
// "Argon2id cost and re-hashing").
#include <csignal>
#include <regex>

#include "tests/integration/auth_test_support.hpp"
#include "tests/integration/pg_test_support.hpp"
#include "tests/integration/support/poll.hpp"

namespace haven::test::auth {
namespace {

using namespace std::chrono_literals;

class AuthArgon : public stack_test {
 protected:
  /// users.password_hash of `user_id`, read by the test itself.
  static std::string stored_hash(const std::string& user_id) {
    EXPECT_TRUE(std::regex_match(user_id, std::regex{"[0-9a-f-]{36}"})) << user_id;
    auto rows = haven::test::query(the_stack().pg_url(),
                                   "SELECT password_hash FROM users WHERE id = '" + user_id + "'");
    return rows.empty() ? std::string{"<no row>"} : rows[0][0];
  }

  /// A node with small Argon2 costs (fast tests) and the suite's throttles.
  static std::unique_ptr<haven_process>
  start(const std::string& memory_kib, const std::string& iterations, const std::string& workers) {
    auto node = std::make_unique<haven_process>(
        auth_env(the_stack(), {{"HAVEN_ARGON_MEMORY_KIB", memory_kib},
                               {"HAVEN_ARGON_ITERATIONS", iterations},
                               {"HAVEN_HASH_WORKERS", workers}}));
    EXPECT_TRUE(node->wait_until_ready()) << node->log_text();
    // The start-up line proves the settings reached the hashing pool.
    auto line = "password hashing workers=" + workers + " argon_memory_kib=" + memory_kib +
                " argon_iterations=" + iterations;
    EXPECT_TRUE(eventually([&] { return node->log_text().find(line) != std::string::npos; }, 5s))
        << node->log_text();
    return node;
  }

  static http_response login(uint16_t port, const account& a, const std::string& password) {
    return call(port, "POST", "/v1/auth/login", obj({{"email", a.email}, {"password", password}}));
  }
};

TEST_F(AuthArgon, LoginRehashesAStoredHashMadeWithOtherCosts) {
  auto first = start("64", "1", "1");
  auto a = register_account(first->port(), {{"email", unique_email("argon")}});
  ASSERT_NE(a.id, "<missing>");
  auto original = stored_hash(a.id);
  EXPECT_EQ(original.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << original;

  // Same costs: a login keeps the hash (a re-hash would change the salt).
  ASSERT_EQ(login(first->port(), a, a.password).status, 200);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(stored_hash(a.id), original);

  first->send_signal(SIGTERM);
  EXPECT_EQ(first->wait_exit(20s), 0);
  first.reset();

  // Another node, other costs: the next successful login stores a new hash.
  auto second = start("128", "2", "2");
  // A wrong password changes nothing.
  ASSERT_EQ(login(second->port(), a, "not the password").status, 401);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(stored_hash(a.id), original);

  auto r = login(second->port(), a, a.password);
  ASSERT_EQ(r.status, 200) << r.body;
  std::string rehashed;
  EXPECT_TRUE(eventually(
      [&] {
        rehashed = stored_hash(a.id);
        return rehashed.rfind("$argon2id$v=19$m=128,t=2,p=1$", 0) == 0;
      },
      10s, 50ms))
      << "still " << rehashed;

  // The new hash verifies the same password, and is itself current: kept.
  auto again = login(second->port(), a, a.password);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(field(again, "/user/id"), a.id);
  EXPECT_EQ(login(second->port(), a, "not the password").status, 401);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(stored_hash(a.id), rehashed);
}

} // namespace
} // namespace haven::test::auth
