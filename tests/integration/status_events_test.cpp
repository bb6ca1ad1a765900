// status.updated (API.md section 9) from a real node: the envelope and
// headers, no user text, and at-least-once delivery across a NATS outage
// (the Redis-side outbox of docs/status.md).
#include <set>
#include <thread>

#include "tests/integration/status_test_support.hpp"
#include "tests/integration/support/metrics.hpp"
#include "tests/integration/support/poll.hpp"

namespace haven::test::status {
namespace {

class StatusEvents : public auth_suite {};

constexpr const char* subject = "haven.events.status.updated";
const char* const kStages[] = {"ingestion", "quality", "taxonomy", "graph", "embedding"};

// Every status.updated of `id` that arrives within `limit` (stops early once
// `want` distinct ids were seen and nothing more came for `quiet`).
std::vector<bus_message> collect(natsSubscription* sub, const std::string& id, size_t want,
                                 std::chrono::milliseconds limit,
                                 std::chrono::milliseconds quiet = 1000ms) {
  std::vector<bus_message> out;
  std::set<std::string> ids;
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    auto m = raw_nats::next(sub, ids.size() >= want ? quiet : 500ms);
    if (!m) {
      if (ids.size() >= want)
        break;
      continue;
    }
    if (m->subject != subject || field(m->data, "/data/resource_id") != id)
      continue;
    ids.insert(field(m->data, "/id"));
    out.push_back(std::move(*m));
  }
  return out;
}

std::string header(const bus_message& m, const std::string& name) {
  for (const auto& h : m.headers)
    if (h.name == name)
      return h.value;
  return "<none>";
}

TEST_F(StatusEvents, EachUpdateEmitsTheEnvelopeWithoutTheMessage) {
  raw_nats nats{the_stack().nats_url()};
  auto* sub = nats.subscribe(subject);
  auto team = make_team(port(), "status-ev");
  auto id = unique_resource("ev");
  auto r = put_stage(port(), team.user.access, id, "taxonomy",
                     R"({"status":"processing","progress":30,"message":"SECRET-NOTE-42"})",
                     {{"X-Request-ID", "status-trace-1"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto got = collect(sub, id, 1, 10s);
  ASSERT_EQ(got.size(), 1u);
  const auto& m = got[0];
  EXPECT_EQ(m.subject, subject);
  auto event_id = field(m.data, "/id");
  EXPECT_EQ(event_id.size(), 36u);
  EXPECT_EQ(header(m, "Haven-Event-Id"), event_id);
  EXPECT_EQ(header(m, "Haven-Request-Id"), "status-trace-1");
  EXPECT_EQ(field(m.data, "/type"), "status.updated");
  EXPECT_EQ(field(m.data, "/request_id"), "status-trace-1");
  EXPECT_EQ(field(m.data, "/org_id"), team.user.org_id);
  EXPECT_EQ(field(m.data, "/occurred_at"), field(r, "/updated_at"));
  EXPECT_NE(field(m.data, "/node"), "<missing>");
  EXPECT_EQ(field(m.data, "/data/stage"), "taxonomy");
  EXPECT_EQ(field(m.data, "/data/status"), "processing");
  EXPECT_EQ(field(m.data, "/data/progress"), "30");
  EXPECT_EQ(field(m.data, "/data/overall"), "processing");
  EXPECT_EQ(m.data.find("SECRET-NOTE-42"), std::string::npos) << "user text in an event";
  // A user without an organization: no org_id in the event.
  auto solo = register_account(port());
  auto solo_id = unique_resource("ev-solo");
  ASSERT_EQ(put_stage(port(), solo.access, solo_id, "graph", R"({"status":"failed"})").status, 200);
  auto solo_events = collect(sub, solo_id, 1, 10s);
  ASSERT_EQ(solo_events.size(), 1u);
  EXPECT_EQ(field(solo_events[0].data, "/org_id"), "<missing>");
  EXPECT_EQ(field(solo_events[0].data, "/data/overall"), "failed");
  // A refused write (someone else's record) emits nothing.
  EXPECT_EQ(put_stage(port(), solo.access, id, "graph", R"({"status":"failed"})").status, 404);
  EXPECT_TRUE(collect(sub, id, 1, 2s).empty());
  // Nothing is left behind in the Redis outbox once NATS took the events.
  redis_probe redis{the_stack().redis_port()};
  EXPECT_TRUE(eventually([&] { return redis.integer({"XLEN", outbox_key}) == 0; }, 10s));
  EXPECT_TRUE(eventually(
      [&] {
        return metric(port(), "haven_status_events_relayed_total") >= 2 &&
               metric(port(), "haven_status_updates_total") >= 2 &&
               metric(port(), "haven_status_refused_total") >= 1 &&
               metric(port(), "haven_status_outbox_depth") == 0;
      },
      10s));
  EXPECT_NE(node_->log_text().find("status-trace-1"), std::string::npos);
  EXPECT_EQ(node_->log_text().find("SECRET-NOTE-42"), std::string::npos) << "user text in a log";
  natsSubscription_Destroy(sub);
}

TEST_F(StatusEvents, NatsDownEventsWaitInRedisThenArriveOnceEach) {
  raw_nats nats{the_stack().nats_url()};
  auto* sub = nats.subscribe(subject);
  auto u = register_account(port());
  auto id = unique_resource("outage");
  redis_probe redis{the_stack().redis_port()};
  ASSERT_TRUE(eventually([&] { return redis.integer({"XLEN", outbox_key}) == 0; }, 10s));
  const auto first_seq = nats.stream_last_seq() + 1;
  the_stack().stop("nats");
  constexpr int updates = 8;
  for (int i = 0; i < updates; ++i) {
    auto rid = "outage-" + std::to_string(i);
    auto r = put_stage(port(), u.access, id, kStages[i % 5],
                       R"({"status":"processing","progress":)" + std::to_string(i) + "}",
                       {{"X-Request-ID", rid}});
    ASSERT_EQ(r.status, 200) << "updates do not need NATS: " << r.body;
  }
  std::this_thread::sleep_for(1500ms); // the relay tries, fails, retries
  EXPECT_EQ(redis.integer({"XLEN", outbox_key}), updates) << "events left Redis without NATS";
  EXPECT_TRUE(eventually(
      [&] {
        return metric(port(), "haven_status_relay_failures_total") >= 1 &&
               metric(port(), "haven_status_outbox_depth") == updates;
      },
      10s));
  the_stack().start("nats");
  ASSERT_TRUE(eventually([&] { return nats.connected(); }, 15s));
  auto got = collect(sub, id, updates, 60s);
  std::set<std::string> ids, requests;
  for (const auto& m : got) {
    ids.insert(field(m.data, "/id"));
    requests.insert(header(m, "Haven-Request-Id"));
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(updates)) << "an acknowledged update lost its event";
  EXPECT_EQ(requests.size(), static_cast<size_t>(updates));
  EXPECT_TRUE(eventually([&] { return redis.integer({"XLEN", outbox_key}) == 0; }, 10s));
  // JetStream holds each once too (Nats-Msg-Id = event id).
  std::set<std::string> stored;
  size_t stored_count = 0;
  for (auto seq = first_seq; seq <= nats.stream_last_seq(); ++seq)
    if (auto m = nats.stream_msg(seq);
        m && m->subject == subject && field(m->data, "/data/resource_id") == id) {
      stored.insert(field(m->data, "/id"));
      ++stored_count;
    }
  EXPECT_EQ(stored, ids);
  EXPECT_EQ(stored_count, static_cast<size_t>(updates));
  natsSubscription_Destroy(sub);
}

} // namespace
} // namespace haven::test::status
