// Session actors are virtual (docs/conversations.md "Session actors"): two
// haven processes on one stack, one session's turns alternated between them
// (each node's actor holds a stale version after the other's turn) keep their
// order and the version count; turns sent to both nodes at once never
// interleave one turn's pair of messages. The nodes share the key folder, so
// the dev data key generated there is the one both use.
#include <atomic>
#include <thread>

#include "tests/integration/conversation_test_support.hpp"

namespace haven::test::conversation {
namespace {

class ConversationCluster : public stack_test {
 protected:
  static void SetUpTestSuite() {
    start_stack();
    if (stack_ == nullptr)
      return; // every test fails in SetUp with the reason
    auto env = auth_env(*stack_, {{"HAVEN_JWT_KEY_DIR", stack_->dir() + "/keys"}});
    a_ = std::make_unique<haven_process>(env);
    ASSERT_TRUE(a_->wait_until_ready()) << a_->log_text();
    b_ = std::make_unique<haven_process>(env);
    ASSERT_TRUE(b_->wait_until_ready()) << b_->log_text();
  }
  static void TearDownTestSuite() {
    a_.reset();
    b_.reset();
    stop_stack();
  }
  static inline std::unique_ptr<haven_process> a_, b_;
};

TEST_F(ConversationCluster, AlternatingNodesKeepOrderAndVersion) {
  auto u = register_account(a_->port());
  auto first = chat(a_->port(), u, "turn 0");
  ASSERT_EQ(first.status, 200) << first.body;
  auto sid = field(first, "/session_id");
  for (int i = 1; i < 8; ++i) {
    auto port = i % 2 == 0 ? a_->port() : b_->port();
    auto r = chat(port, u, "turn " + std::to_string(i), sid);
    ASSERT_EQ(r.status, 200) << "turn " << i << ": " << r.body;
    EXPECT_EQ(field(r, "/session_id"), sid);
  }
  EXPECT_EQ(pg_scalar(stack_->pg_url(),
                      "SELECT version FROM conversation_sessions WHERE id = '" + sid + "'"),
            "8");
  // Either node reads what the other sealed (one dev data key in the shared folder).
  for (auto port : {a_->port(), b_->port()}) {
    auto all =
        call(port, "GET", "/v1/conversation/sessions/" + sid + "/messages?limit=200", {}, u.access);
    ASSERT_EQ(all.status, 200) << all.body;
    for (int i = 0; i < 8; ++i) {
      auto user_at = "/messages/" + std::to_string(15 - 2 * i);
      EXPECT_EQ(field(all, (user_at + "/text").c_str()), "turn " + std::to_string(i));
      EXPECT_EQ(field(all, (user_at + "/role").c_str()), "user");
    }
  }
  EXPECT_EQ(pg_scalar(stack_->pg_url(), "SELECT string_agg(seq::text, ',' ORDER BY seq) FROM "
                                        "conversation_messages WHERE session_id = '" +
                                            sid + "'"),
            "2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17");
}

TEST_F(ConversationCluster, ConcurrentTurnsOnTwoNodesNeverInterleave) {
  auto u = register_account(a_->port());
  auto sid = field(chat(a_->port(), u, "start"), "/session_id");
  ASSERT_EQ(chat(b_->port(), u, "warm the other node", sid).status, 200);
  std::atomic<int> ok{0}, conflict{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i)
    threads.emplace_back([&, i] {
      auto port = i % 2 == 0 ? a_->port() : b_->port();
      auto st = chat(port, u, "parallel " + std::to_string(i), sid).status;
      (st == 200 ? ok : st == 409 ? conflict : other)++;
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_GE(ok.load(), 1);
  auto committed = std::to_string(2 + ok.load());
  EXPECT_EQ(pg_scalar(stack_->pg_url(),
                      "SELECT version FROM conversation_sessions WHERE id = '" + sid + "'"),
            committed);
  // Every turn's two rows are adjacent: user at even seq, its reply right after.
  EXPECT_EQ(pg_scalar(stack_->pg_url(),
                      "SELECT count(*) FROM conversation_messages WHERE session_id = '" + sid +
                          "' AND ((seq % 2 = 0) <> (role = 'user'))"),
            "0");
  EXPECT_EQ(
      pg_scalar(stack_->pg_url(),
                "SELECT count(*) FROM conversation_messages WHERE session_id = '" + sid + "'"),
      std::to_string(2 * (2 + ok.load())));
  EXPECT_EQ(pg_scalar(stack_->pg_url(),
                      "SELECT message_count FROM conversation_sessions WHERE id = '" + sid + "'"),
            std::to_string(2 * (2 + ok.load())));
}

} // namespace
} // namespace haven::test::conversation
