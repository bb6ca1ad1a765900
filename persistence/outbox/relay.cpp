#include "persistence/outbox/relay.hpp"

#include <string>
#include <vector>

#include <caf/all.hpp>

#include "base/backoff.hpp"
#include "base/log/log.hpp"
#include "config/settings.hpp"
#include "persistence/outbox/pg_session.hpp"

namespace haven::outbox {

namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

enum class cycle_result { idle, more, not_leader, pg_failed, bus_failed };

// The relay's loop state. Lives on the relay's own thread (a blocking actor).
struct relay {
  caf::blocking_actor* self;
  pg_session db;
  bus_actor bus;
  relay_options opts;
  int64_t depth = -1;
  bool running = true;
  bool waiting_for_bus = false; // logged once per outage, not per cycle
  int failures = 0;             // consecutive, paces the retries
  clock::time_point next_count{};

  bool sql(const char* q, const std::vector<pg_value>& params = {}, pg_result* out = nullptr) {
    std::string err;
    if (db.exec(q, params, out, opts.statement_timeout, err))
      return true;
    // A node starts its relay before its migrations ran: no table yet is
    // expected then, not worth a warning.
    if (db.last_sqlstate() == "42P01")
      log::debug("outbox relay: waiting for the outbox table (migrations)", {});
    else
      log::warn("outbox relay: statement failed", {{"reason", err}});
    db.close(); // the server rolls back; a fresh connection starts clean
    return false;
  }

  // Handles what arrives until `d` has passed or, with `wake`, a poke came
  // (true). After a failure pokes do not cut the pause short: during an
  // outage every commit pokes, and each cycle would fail again at once.
  bool wait_for(milliseconds d, bool wake = true) {
    const auto until = clock::now() + d;
    bool poked = false;
    while (running && !poked) {
      const auto left = std::chrono::duration_cast<milliseconds>(until - clock::now());
      if (left.count() <= 0)
        break;
      self->receive([&](outbox_atom) { poked = wake; },
                    [&](get_atom, outbox_atom) { return depth; },
                    [&](caf::exit_msg&) { running = false; }, caf::after(left) >> [] {});
    }
    return poked;
  }

  // Handles whatever is queued without waiting; true if a poke was among it.
  bool drain() {
    bool poked = false;
    for (bool more = true; running && more;)
      self->receive([&](outbox_atom) { poked = true; },
                    [&](get_atom, outbox_atom) { return depth; },
                    [&](caf::exit_msg&) { running = false; },
                    caf::after(milliseconds(0)) >> [&] { more = false; });
    return poked;
  }

  milliseconds retry_delay() {
    backoff_policy p{milliseconds(100), milliseconds(1000), 0.25};
    return backoff_delay(p, ++failures,
                         static_cast<double>(clock::now().time_since_epoch().count() % 1000) /
                             1000.0);
  }

  void count() {
    if (!db.connected() || clock::now() < next_count)
      return;
    next_count = clock::now() + opts.count_interval;
    pg_result r;
    if (sql("SELECT count(*) FROM outbox", {}, &r) && !r.rows.empty() && !r.rows[0].empty())
      depth = std::stoll(r.rows[0][0].text);
  }

  // Publishes the rows through the bus; returns how many, from the first, NATS accepted.
  uint32_t publish(const pg_result& rows) {
    std::vector<bus_message> msgs;
    msgs.reserve(rows.rows.size());
    for (const auto& row : rows.rows) { // seq, id, subject, request_id, event
      bus_message m;
      m.subject = row[2].text;
      m.headers.push_back({nats::header_event_id, row[1].text});
      if (!row[3].is_null)
        m.headers.push_back({nats::header_request_id, row[3].text});
      m.data = row[4].text;
      msgs.push_back(std::move(m));
    }
    uint32_t accepted = 0;
    self->request(bus, opts.publish_timeout, publish_atom_v, std::move(msgs))
        .receive([&](uint32_t n) { accepted = n; },
                 [&](caf::error& e) {
                   if (!waiting_for_bus)
                     log::warn("outbox relay: NATS did not accept events, they wait",
                               {{"reason", self->system().render(e)}});
                   waiting_for_bus = true;
                 });
    if (accepted > 0 && waiting_for_bus) {
      log::info("outbox relay: NATS accepts events again");
      waiting_for_bus = false;
    }
    return accepted;
  }

  cycle_result cycle() {
    pg_result lock, rows;
    if (!sql("BEGIN"))
      return cycle_result::pg_failed;
    if (!sql("SELECT pg_try_advisory_xact_lock($1)", {pg_value::of(std::to_string(relay_lock_key))},
             &lock))
      return cycle_result::pg_failed;
    if (lock.rows.empty() || lock.rows[0][0].text != "t")
      return sql("ROLLBACK") ? cycle_result::not_leader : cycle_result::pg_failed;
    if (!sql("SELECT seq, id, subject, request_id, event FROM outbox ORDER BY seq LIMIT $1 "
             "FOR UPDATE SKIP LOCKED",
             {pg_value::of(std::to_string(opts.batch))}, &rows))
      return cycle_result::pg_failed;
    if (rows.rows.empty())
      return sql("COMMIT") ? cycle_result::idle : cycle_result::pg_failed;
    const uint32_t accepted = publish(rows);
    if (accepted > 0) {
      std::string seqs = "{";
      for (uint32_t i = 0; i < accepted && i < rows.rows.size(); ++i) {
        if (i > 0)
          seqs += ',';
        seqs += rows.rows[i][0].text;
      }
      seqs += '}';
      if (!sql("DELETE FROM outbox WHERE seq = ANY($1::bigint[])", {pg_value::of(seqs)}))
        return cycle_result::pg_failed; // re-sent later: JetStream drops the duplicates
    }
    if (!sql("COMMIT"))
      return cycle_result::pg_failed;
    if (accepted < rows.rows.size())
      return cycle_result::bus_failed;
    return rows.rows.size() >= opts.batch ? cycle_result::more : cycle_result::idle;
  }

  void run() {
    while (running) {
      if (!db.connected()) {
        std::string err;
        if (!db.connect(opts.statement_timeout, err)) {
          if (failures == 0)
            log::warn("outbox relay: cannot connect to PostgreSQL, retrying", {{"reason", err}});
          wait_for(retry_delay(), false);
          continue;
        }
        // A relay that stops mid-transaction (hung process) frees the lock for another node.
        sql("SET idle_in_transaction_session_timeout = '20s'");
      }
      const auto r = cycle();
      count();
      const bool poked = drain();
      if (r == cycle_result::more || (poked && r == cycle_result::idle)) {
        failures = 0;
        continue;
      }
      if (r == cycle_result::idle || r == cycle_result::not_leader) {
        failures = 0;
        wait_for(opts.poll_interval);
      } else {
        wait_for(retry_delay(), false);
      }
    }
  }
};

void relay_main(caf::blocking_actor* self, std::string pg_url, bus_actor bus, relay_options opts) {
  relay r{self, pg_session{std::move(pg_url)}, std::move(bus), opts};
  r.run();
}

} // namespace

outbox_relay_actor spawn_outbox_relay(caf::actor_system& sys, const config::settings& cfg,
                                      bus_actor bus, relay_options opts) {
  // Blocking actors always get their own thread: libpq waits never touch the scheduler.
  return caf::actor_cast<outbox_relay_actor>(
      sys.spawn(relay_main, cfg.pg_url, std::move(bus), opts));
}

} // namespace haven::outbox
