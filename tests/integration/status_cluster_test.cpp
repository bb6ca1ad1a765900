// Processing status on two nodes of one stack (shared key folder): the first
// writer claims a record atomically across nodes, and the events a killed
// node had read from the Redis outbox but never got to NATS are sent by the
// other node's relay (docs/status.md, "Relay").
#include <csignal>
#include <set>
#include <thread>

#include "tests/integration/status_test_support.hpp"
#include "tests/integration/support/poll.hpp"

namespace haven::test::status {
namespace {

class StatusCluster : public stack_test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(stack_test::SetUp());
    auto env = auth_env(the_stack(), {{"HAVEN_JWT_KEY_DIR", the_stack().dir() + "/keys"}});
    a_ = std::make_unique<haven_process>(env);
    ASSERT_TRUE(a_->wait_until_ready()) << a_->log_text();
    b_ = std::make_unique<haven_process>(env);
    ASSERT_TRUE(b_->wait_until_ready()) << b_->log_text();
  }
  void TearDown() override {
    if (HasFailure()) {
      for (auto* n : {a_.get(), b_.get()})
        if (n != nullptr)
          std::cerr << "---- node log ----\n" << n->log_text() << "------------------\n";
    }
    a_.reset();
    b_.reset();
    stack_test::TearDown();
  }
  std::unique_ptr<haven_process> a_, b_;
};

TEST_F(StatusCluster, ParallelFirstWritesOnTwoNodesHaveExactlyOneOwner) {
  auto x = register_account(a_->port());
  auto y = register_account(b_->port());
  constexpr int resources = 24;
  std::vector<std::string> ids;
  for (int i = 0; i < resources; ++i)
    ids.push_back(unique_resource("cluster-race"));
  std::vector<int> sx(resources), sy(resources);
  std::atomic<int> ready{0};
  auto writer = [&](uint16_t port, const account& who, std::vector<int>& out) {
    ready.fetch_add(1);
    while (ready.load() < 2) {
    }
    for (int i = 0; i < resources; ++i)
      out[i] = put_stage(port, who.access, ids[i], "graph", R"({"status":"processing"})").status;
  };
  std::thread tx{writer, a_->port(), std::cref(x), std::ref(sx)};
  std::thread ty{writer, b_->port(), std::cref(y), std::ref(sy)};
  tx.join();
  ty.join();
  for (int i = 0; i < resources; ++i) {
    EXPECT_TRUE((sx[i] == 200) != (sy[i] == 200)) << ids[i] << ": " << sx[i] << " / " << sy[i];
    const auto& owner = sx[i] == 200 ? x : y;
    const auto& loser = sx[i] == 200 ? y : x;
    for (auto port : {a_->port(), b_->port()}) {
      EXPECT_EQ(get_status(port, owner.access, ids[i]).status, 200);
      EXPECT_EQ(get_status(port, loser.access, ids[i]).status, 404);
    }
  }
}

TEST_F(StatusCluster, EventsAKilledNodeHeldAreSentByTheOther) {
  raw_nats nats{the_stack().nats_url()};
  auto* sub = nats.subscribe("haven.events.status.updated");
  auto u = register_account(a_->port());
  auto id = unique_resource("orphan");
  the_stack().stop("nats");
  constexpr int updates = 6;
  for (int i = 0; i < updates; ++i)
    ASSERT_EQ(put_stage(a_->port(), u.access, id, "quality",
                        R"({"status":"processing","progress":)" + std::to_string(i) + "}")
                  .status,
              200);
  // Node a's relay (poked by its own updates) reads the entries and fails to
  // publish them: they are pending on a's consumer. Then a dies.
  redis_probe redis{the_stack().redis_port()};
  ASSERT_TRUE(eventually(
      [&] {
        auto r = redis.run({"XPENDING", outbox_key, "haven-status-relay"});
        return r && !r->elements.empty() && r->elements[0].integer >= updates;
      },
      10s));
  a_->send_signal(SIGKILL);
  a_->wait_exit(5s);
  the_stack().start("nats");
  ASSERT_TRUE(eventually([&] { return nats.connected(); }, 15s));
  // b takes a's entries over once they were idle for 15 s, and sends them.
  std::set<std::string> got;
  auto end = std::chrono::steady_clock::now() + 60s;
  while (got.size() < updates && std::chrono::steady_clock::now() < end) {
    auto m = raw_nats::next(sub, 500ms);
    if (m && field(m->data, "/data/resource_id") == id)
      got.insert(field(m->data, "/id"));
  }
  EXPECT_EQ(got.size(), static_cast<size_t>(updates)) << "events of a dead node were lost";
  EXPECT_TRUE(eventually([&] { return redis.integer({"XLEN", outbox_key}) == 0; }, 10s));
  natsSubscription_Destroy(sub);
}

} // namespace
} // namespace haven::test::status
