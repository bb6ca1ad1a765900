// A session's risk trajectory is cluster-wide (docs/safety.md "Session
// trajectory"): two haven processes on one stack, the messages of one session
// alternated between them, give the levels one node gives; another user's
// session with the same id is apart; with Redis stopped, detect with a
// session_id still answers 200 at once (node-local trajectory).
#include <thread>

#include "tests/integration/safety_test_support.hpp"
#include "tests/integration/support/metrics.hpp"
#include "tests/integration/support/poll.hpp"

namespace haven::test::safety {
namespace {

using steady = std::chrono::steady_clock;

class SafetySessionCluster : public stack_test {
 protected:
  static void SetUpTestSuite() {
    start_stack();
    if (stack_ == nullptr)
      return; // every test fails in SetUp with the reason
    // One key folder: a token of either node works on both.
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

  static http_response detect(uint16_t port, const account& u, const std::string& text,
                              const std::string& session) {
    return call(port, "POST", "/v1/crisis/detect", text_body(text, {{"session_id", session}}),
                u.access);
  }

  /// The levels of `texts` sent in order, message i to ports[i % ports.size()].
  static std::vector<std::string> levels(const std::vector<uint16_t>& ports, const account& u,
                                         const std::vector<std::string>& texts,
                                         const std::string& session) {
    std::vector<std::string> out;
    for (size_t i = 0; i < texts.size(); ++i) {
      auto r = detect(ports[i % ports.size()], u, texts[i], session);
      EXPECT_EQ(r.status, 200) << r.body;
      out.push_back(field(r, "/risk_level"));
    }
    return out;
  }

  static inline std::unique_ptr<haven_process> a_, b_;
};

// low -> medium -> medium: the third is raised to high by the rising run.
const std::vector<std::string> rising{"Everything feels hopeless right now",
                                      "Sometimes I wish I wasn't alive",
                                      "I wish I had never been born"};

TEST_F(SafetySessionCluster, ARisingRunAlternatedBetweenNodesMatchesOneNode) {
  auto u = register_account(a_->port());
  auto one = levels({a_->port()}, u, rising, "run-one-node");
  EXPECT_EQ(one, (std::vector<std::string>{"low", "medium", "high"}));
  auto alternated = levels({a_->port(), b_->port()}, u, rising, "run-alternated");
  EXPECT_EQ(alternated, one) << "node b did not see node a's messages";
  auto other_way = levels({b_->port(), a_->port()}, u, rising, "run-other-way");
  EXPECT_EQ(other_way, one);
  // Combination across nodes: ideation on a, the means on b -> critical.
  auto c =
      levels({a_->port(), b_->port()}, u, {"I want to die", "I have the pills ready"}, "combined");
  EXPECT_EQ(c, (std::vector<std::string>{"high", "critical"}));
  EXPECT_EQ(metric(a_->port(), "haven_crisis_session_fallbacks_total"), 0);
  EXPECT_EQ(metric(b_->port(), "haven_crisis_session_fallbacks_total"), 0);
}

TEST_F(SafetySessionCluster, AHeldLevelDoesNotDropOnTheOtherNodeAndKeepsItsEvent) {
  auto u = register_account(a_->port());
  auto first = detect(a_->port(), u, "I want to die", "held");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(field(first, "/risk_level"), "high");
  auto id = field(first, "/event_id");
  ASSERT_EQ(id.size(), 36u) << first.body;
  for (auto port : {b_->port(), a_->port()}) {
    auto calm = detect(port, u, "ok thanks", "held");
    ASSERT_EQ(calm.status, 200) << calm.body;
    EXPECT_EQ(field(calm, "/risk_level"), "high") << "port " << port << ": " << calm.body;
    EXPECT_EQ(field(calm, "/escalate"), "true");
    // One event per rise, whichever node answers: no new event for counselors.
    EXPECT_EQ(field(calm, "/event_id"), id) << "port " << port;
  }
  // The third calm message in a row decays one step, as on one node.
  auto third = detect(b_->port(), u, "ok thanks", "held");
  EXPECT_EQ(field(third, "/risk_level"), "medium") << third.body;
  // A rise on node b stores a new event; node a then answers with that one.
  auto rise = detect(b_->port(), u, "I took all the pills", "held");
  EXPECT_EQ(field(rise, "/risk_level"), "critical") << rise.body;
  auto id2 = field(rise, "/event_id");
  EXPECT_EQ(id2.size(), 36u);
  EXPECT_NE(id2, id);
  auto after = detect(a_->port(), u, "ok", "held");
  EXPECT_EQ(field(after, "/risk_level"), "critical") << after.body;
  EXPECT_EQ(field(after, "/event_id"), id2);
}

TEST_F(SafetySessionCluster, AnotherUsersSessionWithTheSameIdIsApart) {
  auto u = register_account(a_->port());
  auto v = register_account(b_->port());
  ASSERT_EQ(field(detect(a_->port(), u, "I want to die", "shared-id"), "/risk_level"), "high");
  // v's session of the same id neither reads nor steers u's trajectory.
  for (auto port : {a_->port(), b_->port()}) {
    auto r = detect(port, v, "ok thanks", "shared-id");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "/risk_level"), "none") << r.body;
    EXPECT_EQ(field(r, "/event_id"), "<null>");
  }
  auto theirs = levels({b_->port(), a_->port()}, v, rising, "shared-id");
  EXPECT_EQ(theirs[2], "high"); // v's own run (calm, low, medium, medium)
  auto mine = detect(b_->port(), u, "ok thanks", "shared-id");
  EXPECT_EQ(field(mine, "/risk_level"), "high") << mine.body; // u's is untouched
}

TEST_F(SafetySessionCluster, WithRedisStoppedDetectStillAnswersAtOnce) {
  auto u = register_account(a_->port());
  ASSERT_EQ(field(detect(a_->port(), u, "I want to die", "down"), "/risk_level"), "high");
  stack_->stop("redis");
  std::chrono::milliseconds slowest{0};
  for (int i = 0; i < 4; ++i) {
    auto port = i % 2 == 0 ? a_->port() : b_->port();
    auto start = steady::now();
    auto r = detect(port, u, i == 3 ? "I want to die" : "ok thanks", "down");
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start);
    slowest = std::max(slowest, took);
    ASSERT_EQ(r.status, 200) << r.body;
    auto level = field(r, "/risk_level");
    // Correct for the message alone at least; node a still holds its copy.
    if (i == 3)
      EXPECT_EQ(level, "high");
    else if (port == a_->port())
      EXPECT_EQ(level, "high") << "node a's own copy was lost"; // two calm messages: held
    else
      EXPECT_EQ(level, "none") << r.body; // b never saw this session: the message alone
    // A new session works too.
    auto fresh = detect(port, u, "I want to die", "down-new-" + std::to_string(i));
    ASSERT_EQ(fresh.status, 200) << fresh.body;
    EXPECT_EQ(field(fresh, "/risk_level"), "high");
  }
  // Bounded by the store timeout (2 s), in practice the circuit answers at once.
  EXPECT_LT(slowest, 2500ms);
  std::cout << "slowest detect with Redis stopped: " << slowest.count() << " ms\n";
  // /metrics is rendered at most once per second: wait for a fresh page.
  for (auto* node : {a_.get(), b_.get()})
    EXPECT_TRUE(eventually(
        [&] { return metric(node->port(), "haven_crisis_session_fallbacks_total") > 0; }, 5s));

  // Redis back: sessions are shared again.
  stack_->start("redis");
  auto back = steady::now();
  std::string level;
  while (steady::now() - back < 10s) {
    auto r = detect(a_->port(), u, "I want to die", "after-restart");
    auto calm = detect(b_->port(), u, "ok thanks", "after-restart");
    level = field(calm, "/risk_level");
    if (level == "high")
      break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(level, "high") << "node b does not see node a's session after Redis came back";
}

} // namespace
} // namespace haven::test::safety
