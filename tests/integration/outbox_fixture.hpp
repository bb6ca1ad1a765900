#pragma once

// The fixture of outbox_test.cpp and outbox_bench_test.cpp: a real stack per
// suite; per test an actor system, "nodes" (bus + relay) and a libpq
// connection that plays the domain actors' part (inserting outbox rows).

#include <map>
#include <memory>
#include <set>
#include <vector>

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <simdjson.h>

#include "io/nats/bus.hpp"
#include "persistence/outbox/event.hpp"
#include "persistence/outbox/relay.hpp"
#include "tests/integration/bus_test_util.hpp"
#include "tests/integration/support/stack_test.hpp"

namespace haven::test {

using namespace std::chrono_literals;

inline constexpr const char* outbox_ddl =
    "CREATE TABLE IF NOT EXISTS outbox (seq bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, type "
    "text NOT NULL, "
    "subject text NOT NULL, aggregate_id text NOT NULL, org_id uuid NULL, request_id text NULL, "
    "event text NOT "
    "NULL, created_at timestamptz NOT NULL DEFAULT now())";

struct node { // one haven node's bus + relay
  haven::bus_actor bus;
  haven::outbox_relay_actor relay;
};

// What a consumer reads from an event: id, aggregate and per-aggregate number.
struct seen_event {
  std::string id, agg, request_id;
  int64_t n = -1;
};

inline seen_event parse(const bus_message& m) {
  seen_event e;
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  if (p.parse(m.data).get(doc) != simdjson::SUCCESS)
    return e;
  std::string_view s;
  if (doc["id"].get(s) == simdjson::SUCCESS)
    e.id = std::string{s};
  if (doc["request_id"].get(s) == simdjson::SUCCESS)
    e.request_id = std::string{s};
  if (doc["data"]["agg"].get(s) == simdjson::SUCCESS)
    e.agg = std::string{s};
  if (doc["data"]["n"].get(e.n) != simdjson::SUCCESS)
    e.n = -1;
  return e;
}

class outbox_fixture : public haven::test::stack_test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(stack_test::SetUp());
    db_ = PQconnectdb(the_stack().pg_url().c_str());
    ASSERT_EQ(PQstatus(db_), CONNECTION_OK) << PQerrorMessage(db_);
    ASSERT_TRUE(exec("SET client_min_messages TO warning")); // no "already exists" notices
    ASSERT_TRUE(exec(outbox_ddl));
    ASSERT_TRUE(exec("DELETE FROM outbox"));
    sys_ = std::make_unique<caf::actor_system>(haven::test::bus_system_config(cfg_));
  }
  void TearDown() override {
    for (auto& n : nodes_) {
      caf::anon_send_exit(n.relay, caf::exit_reason::user_shutdown);
      caf::anon_send_exit(n.bus, caf::exit_reason::user_shutdown);
    }
    nodes_.clear();
    sys_.reset();
    PQfinish(db_);
    stack_test::TearDown();
  }

  node& start_node(haven::outbox::relay_options opts = {}) {
    auto cfg = haven::test::bus_settings(the_stack());
    node n;
    n.bus = haven::nats::spawn_bus(*sys_, cfg);
    n.relay = haven::outbox::spawn_outbox_relay(*sys_, cfg, n.bus, opts);
    nodes_.push_back(n);
    return nodes_.back();
  }

  bool exec(const char* sql) {
    PGresult* r = PQexec(db_, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
      ADD_FAILURE() << PQresultErrorMessage(r);
    PQclear(r);
    return ok;
  }

  // Inserts one event for `agg` (autocommit: one transaction per event).
  std::string insert(const std::string& agg, int n,
                     const std::string& type = "outbox_test.changed") {
    auto e = haven::outbox::make_event(type, "test-node",
                                       R"({"agg":")" + agg + R"(","n":)" + std::to_string(n) + "}",
                                       "", "req-" + agg + "-" + std::to_string(n));
    auto st = haven::outbox::outbox_insert(e, haven::outbox::event_subject("haven", type), agg);
    std::vector<const char*> values;
    for (auto& p : st.params)
      values.push_back(p.is_null ? nullptr : p.text.c_str());
    PGresult* r = PQexecParams(db_, st.sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
    EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQresultErrorMessage(r);
    PQclear(r);
    return e.id;
  }

  int64_t outbox_count() {
    PGresult* r = PQexec(db_, "SELECT count(*) FROM outbox");
    int64_t n = PQresultStatus(r) == PGRES_TUPLES_OK ? std::stoll(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    return n;
  }

  bool bus_connected(const haven::bus_actor& bus) {
    caf::scoped_actor self{*sys_};
    bool up = false;
    self->request(bus, 5s, haven::status_atom_v)
        .receive([&](bool b) { up = b; }, [](caf::error&) {});
    return up;
  }

  int64_t depth(const haven::outbox_relay_actor& relay) {
    caf::scoped_actor self{*sys_};
    int64_t d = -2;
    self->request(relay, 10s, haven::get_atom_v, haven::outbox_atom_v)
        .receive([&](int64_t x) { d = x; }, [](caf::error&) {});
    return d;
  }

  // Reads `n` messages (or until `limit`), then anything else that arrives within `quiet`.
  static std::vector<bus_message> collect(natsSubscription* sub, size_t n,
                                          std::chrono::seconds limit,
                                          std::chrono::milliseconds quiet = 500ms) {
    std::vector<bus_message> got;
    const auto end = std::chrono::steady_clock::now() + limit;
    while (got.size() < n && std::chrono::steady_clock::now() < end)
      if (auto m = raw_nats::next(sub, 200ms))
        got.push_back(std::move(*m));
    while (auto m = raw_nats::next(sub, quiet))
      got.push_back(std::move(*m));
    return got;
  }

  // Every event once, with matching headers, in order per aggregate.
  static void check_stream(const std::vector<bus_message>& got, const std::set<std::string>& want) {
    std::set<std::string> ids;
    std::map<std::string, int64_t> last;
    for (auto& m : got) {
      auto e = parse(m);
      EXPECT_TRUE(ids.insert(e.id).second) << "delivered twice: " << e.id;
      EXPECT_EQ(want.count(e.id), 1u) << "unexpected event " << e.id;
      ASSERT_NE(header(m, "Haven-Event-Id"), nullptr);
      EXPECT_EQ(*header(m, "Haven-Event-Id"), e.id);
      ASSERT_NE(header(m, "Haven-Request-Id"), nullptr);
      EXPECT_EQ(*header(m, "Haven-Request-Id"), e.request_id);
      auto it = last.find(e.agg);
      if (it != last.end()) {
        EXPECT_GT(e.n, it->second) << "out of order in " << e.agg;
      }
      last[e.agg] = e.n;
    }
    EXPECT_EQ(ids.size(), want.size());
  }

  PGconn* db_ = nullptr;
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::vector<node> nodes_;
};

} // namespace haven::test
