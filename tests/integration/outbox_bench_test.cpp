// Outbox relay speed on this machine (printed; asserted only loosely):
// throughput from commit to subscriber, and commit-to-subscriber latency at
// 1000 events/s with the relay poked after each commit.
#include <algorithm>
#include <map>
#include <thread>
#include <vector>

#include "tests/integration/outbox_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using haven::test::eventually;
using haven::test::header;
using haven::test::raw_nats;
using OutboxBench = haven::test::outbox_fixture;

TEST_F(OutboxBench, throughput_and_commit_to_subscriber_latency) {
  raw_nats raw{stack_->nats_url()};
  auto* sub = raw.subscribe("haven.events.outbox_bench.>");
  auto& n = start_node();
  ASSERT_TRUE(eventually([&] { return bus_connected(n.bus); }, 10s));
  // Bulk: 20k rows committed at once, then timed until all are on the subscriber.
  constexpr int bulk = 20000;
  ASSERT_TRUE(exec("INSERT INTO outbox (id, type, subject, aggregate_id, event) "
                   "SELECT u, 'outbox_bench.bulk', 'haven.events.outbox_bench.bulk', 'bulk', "
                   "json_build_object('id', u, 'n', g)::text "
                   "FROM (SELECT gen_random_uuid() AS u, g FROM generate_series(1, 20000) g) s"));
  const auto t0 = std::chrono::steady_clock::now();
  caf::anon_send(n.relay, haven::outbox_atom_v);
  int received = 0;
  int64_t last_n = 0;
  bool ordered = true;
  while (received < bulk && std::chrono::steady_clock::now() - t0 < 120s)
    if (auto m = raw_nats::next(sub, 500ms)) {
      ++received;
      auto at = m->data.find("\"n\" : ");
      int64_t v = at == std::string::npos ? -1 : std::stoll(m->data.substr(at + 6));
      ordered = ordered && v > last_n;
      last_n = v;
    }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(received, bulk);
  EXPECT_TRUE(ordered);
  std::printf("[outbox] relay throughput: %d events in %.2f s = %.0f events/s\n", received, secs,
              received / secs);

  // Paced: 1000 events/s for 2 s, one commit each, relay poked after each commit.
  std::map<std::string, std::chrono::steady_clock::time_point> committed;
  std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> arrived;
  std::thread reader([&] { // only this thread touches `arrived` until join
    for (int i = 0; i < 2000; ++i) {
      auto m = raw_nats::next(sub, 10s);
      if (!m)
        break;
      const auto now = std::chrono::steady_clock::now();
      if (const auto* id = header(*m, "Haven-Event-Id"))
        arrived.emplace_back(*id, now);
    }
  });
  auto next = std::chrono::steady_clock::now();
  for (int i = 0; i < 2000; ++i) {
    std::this_thread::sleep_until(next);
    next += 1ms;
    auto e = haven::outbox::make_event("outbox_bench.paced", "test-node", "{}");
    auto st = haven::outbox::outbox_insert(e, "haven.events.outbox_bench.paced", "paced");
    std::vector<const char*> values;
    for (auto& p : st.params)
      values.push_back(p.is_null ? nullptr : p.text.c_str());
    PGresult* r = PQexecParams(db_, st.sql.c_str(), 7, nullptr, values.data(), nullptr, nullptr, 0);
    committed[e.id] = std::chrono::steady_clock::now(); // autocommit: committed when it returns
    PQclear(r);
    caf::anon_send(n.relay, haven::outbox_atom_v);
  }
  reader.join();
  std::vector<double> ms;
  for (auto& [id, at] : arrived)
    if (auto it = committed.find(id); it != committed.end())
      ms.push_back(
          std::max(0.0, std::chrono::duration<double, std::milli>(at - it->second).count()));
  ASSERT_EQ(ms.size(), 2000u);
  std::sort(ms.begin(), ms.end());
  std::printf(
      "[outbox] commit-to-subscriber at 1k events/s: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
      ms[1000], ms[1980], ms.back());
  EXPECT_LT(ms[1980], 1000.0); // generous: the target (20 ms) is for a quiet machine
  natsSubscription_Destroy(sub);
}

} // namespace
