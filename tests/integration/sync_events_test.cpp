// sync.applied through the outbox (one per applied op, none for duplicates,
// conflicts or rejections; delivered after a NATS outage), the cluster poke,
// and PostgreSQL down -> 503 dependency_unavailable, then recovery.
#include <set>
#include <thread>

#include "tests/integration/sync_test_support.hpp"

namespace haven::test::sync {
namespace {

class SyncEvents : public sync_suite {};

const std::string subject = "haven.events.sync.applied";
const std::string marker = "Quillfeatherwane"; // payload text that must never leave

// The op ids of the sync.applied events of `user` seen within `quiet` of the
// last one (or until `want` arrived and `quiet` passed without more).
std::multiset<std::string> collect(natsSubscription* sub, const std::string& user, size_t want,
                                   std::chrono::milliseconds limit,
                                   std::chrono::milliseconds quiet = 1500ms,
                                   std::vector<std::string>* raw = nullptr) {
  std::multiset<std::string> ids;
  auto end = std::chrono::steady_clock::now() + limit;
  auto last = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < end) {
    if (ids.size() >= want && std::chrono::steady_clock::now() - last > quiet)
      break;
    auto m = raw_nats::next(sub, 200ms);
    if (!m || m->subject != subject || field(m->data, "/data/user_id") != user)
      continue;
    ids.insert(field(m->data, "/data/op_id"));
    last = std::chrono::steady_clock::now();
    if (raw != nullptr)
      raw->push_back(m->data);
  }
  return ids;
}

TEST_F(SyncEvents, OneEventPerAppliedOpAndNoneForTheRest) {
  raw_nats nats{the_stack().nats_url()};
  auto* sub = nats.subscribe(subject);
  auto cluster = nats.subscribe("haven.cluster.sync.>");
  auto u = register_account(port());
  std::vector<op_spec> ops(5);
  for (auto& o : ops) {
    o.entity_id = new_uuid();
    o.payload = R"({"title":")" + marker + "\"}";
  }
  ops[3].base_version = 3; // conflict
  ops[4].entity = "diary"; // rejected
  auto r = upload(port(), u, ops);
  ASSERT_EQ(r.status, 200) << r.body;
  auto again = upload(port(), u, ops); // all duplicates: no events
  ASSERT_EQ(again.status, 200);
  std::vector<std::string> raw;
  auto ids = collect(sub, u.id, 3, 20s, 2000ms, &raw);
  EXPECT_EQ(ids, (std::multiset<std::string>{ops[0].op_id, ops[1].op_id, ops[2].op_id}));
  for (const auto& data : raw) {
    EXPECT_EQ(data.find(marker), std::string::npos) << "payload on the bus: " << data;
    EXPECT_EQ(field(data, "/type"), "sync.applied");
    EXPECT_EQ(field(data, "/data/entity"), "journal_entry");
    EXPECT_EQ(field(data, "/data/version"), "1");
    EXPECT_EQ(field(data, "/data/kind"), "upsert");
  }
  // The node poked the cluster subject once for the commit.
  auto poke = raw_nats::next(cluster, 5s);
  ASSERT_TRUE(poke);
  EXPECT_EQ(poke->subject, "haven.cluster.sync." + u.id);
  natsSubscription_Destroy(sub);
  natsSubscription_Destroy(cluster);
}

TEST_F(SyncEvents, EventsOfUploadsDuringANatsOutageArriveAfterwards) {
  raw_nats nats{the_stack().nats_url()};
  auto* sub = nats.subscribe(subject);
  auto u = register_account(port());
  stack_->stop("nats");
  std::set<std::string> expected;
  for (int round = 0; round < 5; ++round) {
    std::vector<op_spec> ops(10);
    for (auto& o : ops) {
      o.entity_id = new_uuid();
      expected.insert(o.op_id);
    }
    auto r = upload(round % 2 == 0 ? a_->port() : b_->port(), u, ops);
    ASSERT_EQ(r.status, 200) << "uploads need PostgreSQL only: " << r.body;
  }
  std::this_thread::sleep_for(1s);
  stack_->start("nats");
  ASSERT_TRUE(eventually([&] { return nats.connected(); }, 15s));
  auto ids = collect(sub, u.id, expected.size(), 60s);
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique, expected) << "events lost in the outage";
  natsSubscription_Destroy(sub);
}

TEST_F(SyncEvents, PostgresDownIs503ThenUploadsWorkAgain) {
  auto u = register_account(port());
  op_spec before;
  before.entity_id = new_uuid();
  ASSERT_EQ(upload(port(), u, {before}).status, 200);
  stack_->stop("postgres");
  op_spec during;
  during.entity_id = new_uuid();
  auto r = call(port(), "POST", "/v1/sync/upload", upload_json({during}), u.access);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(field(r.body, "/error/code"), "dependency_unavailable");
  EXPECT_FALSE(r.header_or_empty("retry-after").empty());
  auto feed = call(port(), "GET", "/v1/sync/changes", {}, u.access);
  EXPECT_EQ(feed.status, 503);
  stack_->start("postgres");
  upload_answer ok;
  ASSERT_TRUE(eventually(
      [&] {
        ok = upload(port(), u, {during});
        return ok.status == 200;
      },
      30s, 200ms))
      << ok.body;
  // The op that was refused was never half applied: it applies now, once.
  EXPECT_EQ(ok.results.at(0).status, "applied");
  EXPECT_EQ(whole_feed(port(), u).size(), 2u);
}

} // namespace
} // namespace haven::test::sync
