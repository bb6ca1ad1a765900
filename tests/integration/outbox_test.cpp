// The transactional outbox end to end: rows inserted in PostgreSQL, relayed
// to a real nats-server (JetStream) by the relay through the bus actor, seen
// by a plain libnats subscriber. Time bounds are generous on purpose.
#include <set>
#include <thread>

#include "tests/integration/outbox_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using haven::bus_message;
using haven::test::eventually;
using haven::test::raw_nats;
using Outbox = haven::test::outbox_fixture;

TEST_F(Outbox, relays_every_event_in_order_per_aggregate_with_two_nodes) {
  raw_nats raw{stack_->nats_url()};
  auto* sub = raw.subscribe("haven.events.outbox_test.>");
  start_node();
  start_node(); // a second node: the advisory lock lets one relay at a time
  std::set<std::string> ids;
  for (int n = 0; n < 10; ++n)
    for (int a = 0; a < 5; ++a)
      ids.insert(insert("agg" + std::to_string(a), n));
  auto got = collect(sub, 50, 30s);
  EXPECT_EQ(got.size(), 50u);
  check_stream(got, ids);
  EXPECT_TRUE(eventually([&] { return outbox_count() == 0; }, 10s));
  EXPECT_TRUE(eventually([&] { return depth(nodes_[0].relay) == 0; }, 10s));
  natsSubscription_Destroy(sub);
}

TEST_F(Outbox, events_wait_while_nats_is_down_then_arrive_once_in_order) {
  raw_nats raw{stack_->nats_url()};
  auto* sub = raw.subscribe("haven.events.outbox_test.>");
  auto& n = start_node();
  ASSERT_TRUE(eventually([&] { return bus_connected(n.bus); }, 10s));
  const auto first_seq = raw.stream_last_seq() + 1;
  stack_->stop("nats");
  ASSERT_TRUE(eventually([&] { return !bus_connected(n.bus); }, 10s));
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i)
    for (int a = 0; a < 4; ++a)
      ids.insert(insert("down" + std::to_string(a), i));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(outbox_count(), 20) << "events left the outbox while NATS was down";
  EXPECT_TRUE(eventually([&] { return depth(n.relay) == 20; }, 10s));
  stack_->start("nats");
  ASSERT_TRUE(eventually([&] { return raw.connected(); }, 15s));
  auto got = collect(sub, 20, 60s, 1500ms);
  EXPECT_EQ(got.size(), 20u);
  check_stream(got, ids);
  EXPECT_TRUE(eventually([&] { return outbox_count() == 0; }, 10s));
  // The stream holds each event exactly once too, in relay order.
  std::vector<bus_message> stored;
  for (auto seq = first_seq; seq <= raw.stream_last_seq(); ++seq)
    if (auto m = raw.stream_msg(seq); m && m->subject.rfind("haven.events.outbox_test.", 0) == 0)
      stored.push_back(std::move(*m));
  EXPECT_EQ(stored.size(), 20u);
  check_stream(stored, ids);
  natsSubscription_Destroy(sub);
}

TEST_F(Outbox, relay_reconnects_after_a_postgres_restart) {
  raw_nats raw{stack_->nats_url()};
  auto* sub = raw.subscribe("haven.events.outbox_test.>");
  auto& n = start_node();
  ASSERT_TRUE(eventually([&] { return depth(n.relay) == 0; }, 10s)); // connected and counting
  stack_->stop("postgres");
  std::this_thread::sleep_for(1500ms); // the relay finds its connection broken, retries
  stack_->start("postgres");
  PQreset(db_);
  ASSERT_EQ(PQstatus(db_), CONNECTION_OK);
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.insert(insert("pg", i));
  auto got = collect(sub, 5, 30s);
  EXPECT_EQ(got.size(), 5u);
  check_stream(got, ids);
  natsSubscription_Destroy(sub);
}

} // namespace
