// Session actors passivate (docs/conversations.md "Session actors and
// passivation"): after HAVEN_SESSION_IDLE_S without a turn the node forgets a
// session (the gauge haven_conversation_sessions_active returns to 0) and the
// next turn activates it again from PostgreSQL, version intact. Made-up
// session ids are answered 404 and never held, whatever the idle time.
#include <csignal>

#include "tests/integration/conversation_test_support.hpp"
#include "tests/integration/support/metrics.hpp"
#include "tests/integration/support/node_test.hpp"
#include "tests/integration/support/poll.hpp"

namespace haven::test::conversation {
namespace {

class ConversationPassivation : public node_test {
 protected:
  void start(const std::string& idle_s) {
    start_node(auth_env(the_stack(), {{"HAVEN_SESSION_IDLE_S", idle_s}}));
  }
  double active() { return metric(port(), "haven_conversation_sessions_active"); }
};

TEST_F(ConversationPassivation, IdleSessionsAreForgottenAndComeBack) {
  start("1");
  auto u = register_account(port());
  auto r = chat(port(), u, "hello");
  ASSERT_EQ(r.status, 200) << r.body;
  auto sid = field(r, "/session_id");
  ASSERT_TRUE(eventually([&] { return active() == 0; }, std::chrono::seconds(15)))
      << "still active: " << active();
  EXPECT_GE(metric(port(), "haven_conversation_passivations_total"), 1);
  auto again = chat(port(), u, "I am back", sid);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(pg_scalar(the_stack().pg_url(),
                      "SELECT version FROM conversation_sessions WHERE id = '" + sid + "'"),
            "2");
  auto all = call(port(), "GET", "/v1/conversation/sessions/" + sid + "/messages", {}, u.access);
  EXPECT_EQ(field(all, "/messages/3/text"), "hello");
}

TEST_F(ConversationPassivation, UnknownSessionIdsAreNotHeld) {
  start("3600");
  auto u = register_account(port());
  for (int i = 0; i < 20; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    EXPECT_EQ(chat(port(), u, "anyone?", id).status, 404);
  }
  // With an hour of idle time, only leaving at once brings the gauge back.
  EXPECT_TRUE(eventually([&] { return active() == 0; }, std::chrono::seconds(10)))
      << "made-up sessions held: " << active();
}

// Stores down (API.md section 1): PostgreSQL stopped -> 503
// dependency_unavailable with Retry-After, nothing half-stored; back -> the
// same session goes on from its stored version.
TEST_F(ConversationPassivation, PostgresDownIs503ThenRecovers) {
  start("300");
  auto u = register_account(port());
  auto r = chat(port(), u, "before the outage");
  ASSERT_EQ(r.status, 200) << r.body;
  auto sid = field(r, "/session_id");
  the_stack().stop("postgres");
  auto down = chat(port(), u, "during the outage", sid);
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(field(down, "/error/code"), "dependency_unavailable");
  EXPECT_TRUE(down.has_header("retry-after"));
  EXPECT_EQ(chat(port(), u, "a new one during the outage").status, 503);
  the_stack().start("postgres");
  bool back = eventually([&] { return chat(port(), u, "after", sid).status == 200; },
                         std::chrono::seconds(30), std::chrono::milliseconds(500));
  ASSERT_TRUE(back);
  EXPECT_EQ(pg_scalar(the_stack().pg_url(),
                      "SELECT version FROM conversation_sessions WHERE id = '" + sid + "'"),
            "2");
  auto all = call(port(), "GET", "/v1/conversation/sessions/" + sid + "/messages", {}, u.access);
  EXPECT_EQ(all.body.find("during the outage"), std::string::npos) << all.body;
}

// SIGTERM drains and exits 0 even with idle sessions in memory: they end
// with their registry shards instead of waiting out their idle time.
TEST_F(ConversationPassivation, SigtermExitsWithIdleSessions) {
  start("3600");
  auto u = register_account(port());
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(chat(port(), u, "hello " + std::to_string(i)).status, 200);
  node_->send_signal(SIGTERM);
  auto code = node_->wait_exit(std::chrono::seconds(30));
  ASSERT_TRUE(code) << "still running 30 s after SIGTERM";
  EXPECT_EQ(*code, 0);
}

} // namespace
} // namespace haven::test::conversation
