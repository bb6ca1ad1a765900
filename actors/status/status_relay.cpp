#include "actors/status/status_relay.hpp"

#include <string>
#include <utility>
#include <vector>

#include <caf/all.hpp>

#include "actors/status/status_events.hpp"
#include "actors/status/status_script.hpp"
#include "base/log/log.hpp"
#include "config/settings.hpp"

namespace haven::status {

namespace {

using clock_type = std::chrono::steady_clock;
using replies = std::vector<redis_reply>;

struct entry {
  std::string stream_id;
  std::vector<std::string> fields; // empty: deleted meanwhile, or not an entry
};

struct relay_state {
  redis_actor redis;
  bus_actor bus;
  std::string prefix, consumer, key;
  relay_options opts;
  std::shared_ptr<status_metrics> metrics;
  std::chrono::milliseconds store_timeout{3000};
  bool group_ready = false;
  bool busy = false;
  bool again = false;
  bool tick_pending = false;
  bool waiting_for_bus = false;
  bool waiting_for_redis = false;
  clock_type::time_point next_claim{};
  static inline const char* name = "status_relay";
};

using relay_self = status_relay_actor::stateful_pointer<relay_state>;

void cycle(relay_self self);

// Ends a cycle; the next one runs at once when a poke came meanwhile, else
// after `delay` (one timer at a time).
void done(relay_self self, std::chrono::milliseconds delay) {
  auto& st = self->state;
  st.busy = false;
  if (st.again)
    return cycle(self);
  if (!st.tick_pending) {
    st.tick_pending = true;
    self->delayed_send(self, delay, tick_atom_v);
  }
}

void redis_failed(relay_self self, const std::string& what) {
  auto& st = self->state;
  if (!st.waiting_for_redis)
    log::warn("status relay: Redis unavailable, events wait", {{"step", what}});
  st.waiting_for_redis = true;
  done(self, st.opts.retry_interval);
}

bool is_error(const redis_reply& r, const char* prefix) {
  return r.kind == redis_reply::error_kind && r.str.rfind(prefix, 0) == 0;
}

// Runs `cmds`; `next(replies)` on success, else a retry later.
template <class F>
void ask_redis(relay_self self, std::vector<redis_command> cmds, std::string what, F next) {
  self->request(self->state.redis, self->state.store_timeout, std::move(cmds))
      .then(
          [self, next, what](replies& rs) mutable {
            if (self->state.waiting_for_redis) {
              log::info("status relay: Redis answers again");
              self->state.waiting_for_redis = false;
            }
            for (const auto& r : rs)
              if (is_error(r, "NOGROUP")) { // the stream was lost (a Redis restart)
                self->state.group_ready = false;
                return done(self, std::chrono::milliseconds{0});
              }
            next(rs);
          },
          [self, what](caf::error&) { redis_failed(self, what); });
}

// XREADGROUP's reply: [[key, [[id, [f, v, …] or nil], …]]] or nil.
std::vector<entry> entries_of(const redis_reply& r) {
  std::vector<entry> out;
  if (r.kind != redis_reply::array_kind || r.elements.empty())
    return out;
  const auto& stream = r.elements[0];
  if (stream.kind != redis_reply::array_kind || stream.elements.size() < 2)
    return out;
  for (const auto& e : stream.elements[1].elements) {
    if (e.kind != redis_reply::array_kind || e.elements.empty())
      continue;
    entry x;
    x.stream_id = e.elements[0].str;
    if (e.elements.size() > 1)
      for (const auto& f : e.elements[1].elements)
        x.fields.push_back(f.str);
    out.push_back(std::move(x));
  }
  return out;
}

void acknowledge(relay_self self, std::vector<std::string> ids) {
  auto& st = self->state;
  redis_command ack{{"XACK", st.key, std::string{relay_group}}};
  redis_command del{{"XDEL", st.key}};
  for (auto& id : ids) {
    ack.args.push_back(id);
    del.args.push_back(std::move(id));
  }
  // Acknowledged, then deleted: an entry acked but not deleted (a failure
  // between the two) is never read again by the group.
  ask_redis(self, {std::move(ack), std::move(del)}, "ack", [self](replies&) {
    self->state.busy = false;
    cycle(self); // more may wait
  });
}

void publish(relay_self self, std::vector<entry> entries) {
  auto& st = self->state;
  std::vector<bus_message> msgs;
  std::vector<std::string> sent_ids, dropped_ids;
  for (auto& e : entries) {
    auto m = e.fields.empty() ? std::nullopt : event_from_entry(st.prefix, e.fields);
    if (!m) {
      // Deleted meanwhile, or malformed: it can never be sent.
      if (!e.fields.empty()) {
        st.metrics->dropped.fetch_add(1, std::memory_order_relaxed);
        log::error("status relay: malformed outbox entry dropped", {{"entry", e.stream_id}});
      }
      dropped_ids.push_back(std::move(e.stream_id));
      continue;
    }
    msgs.push_back(std::move(*m));
    sent_ids.push_back(std::move(e.stream_id));
  }
  if (msgs.empty())
    return acknowledge(self, std::move(dropped_ids));
  self->request(st.bus, st.opts.publish_timeout, publish_atom_v, std::move(msgs))
      .then(
          [self, sent_ids, dropped_ids](uint32_t accepted) mutable {
            if (self->state.waiting_for_bus) {
              log::info("status relay: NATS accepts events again");
              self->state.waiting_for_bus = false;
            }
            sent_ids.resize(std::min<size_t>(accepted, sent_ids.size()));
            self->state.metrics->relayed.fetch_add(sent_ids.size(), std::memory_order_relaxed);
            for (auto& id : dropped_ids)
              sent_ids.push_back(std::move(id));
            acknowledge(self, std::move(sent_ids));
          },
          [self](caf::error& err) {
            auto& st = self->state;
            st.metrics->relay_failures.fetch_add(1, std::memory_order_relaxed);
            if (!st.waiting_for_bus)
              log::warn("status relay: NATS did not accept events, they wait",
                        {{"reason", self->system().render(err)}});
            st.waiting_for_bus = true;
            done(self, st.opts.retry_interval);
          });
}

// `from` "0": the entries this consumer holds unacknowledged; ">": new ones.
void read(relay_self self, std::string from) {
  auto& st = self->state;
  redis_command cmd{{"XREADGROUP", "GROUP", std::string{relay_group}, st.consumer, "COUNT",
                     std::to_string(st.opts.batch), "STREAMS", st.key, from}};
  // The depth rides along (one cheap command), so /metrics shows it growing
  // while NATS is down, when it matters.
  std::vector<redis_command> cmds{std::move(cmd), redis_command{{"XLEN", st.key}}};
  ask_redis(self, std::move(cmds), "read", [self, from](replies& rs) {
    if (rs.size() > 1 && rs[1].kind == redis_reply::integer_kind)
      self->state.metrics->outbox_depth.store(rs[1].integer, std::memory_order_relaxed);
    auto entries = entries_of(rs.at(0));
    if (!entries.empty())
      return publish(self, std::move(entries));
    if (from == "0")
      return read(self, ">");
    done(self, self->state.opts.poll_interval);
  });
}

void cycle(relay_self self) {
  auto& st = self->state;
  if (st.busy) {
    st.again = true;
    return;
  }
  st.busy = true;
  st.again = false;
  if (!st.group_ready) {
    // From the stream's start ("0"): entries written before any relay ran count.
    redis_command create{{"XGROUP", "CREATE", st.key, std::string{relay_group}, "0", "MKSTREAM"}};
    return ask_redis(self, {std::move(create)}, "group", [self](replies& rs) {
      const auto& r = rs.at(0);
      if (r.kind == redis_reply::error_kind && !is_error(r, "BUSYGROUP")) {
        log::error("status relay: cannot create the consumer group", {{"reason", r.str}});
        return done(self, self->state.opts.retry_interval);
      }
      self->state.group_ready = true;
      read(self, "0");
    });
  }
  if (clock_type::now() >= st.next_claim) {
    // Entries a dead node's relay read but never acknowledged become ours.
    redis_command claim{{"XAUTOCLAIM", st.key, std::string{relay_group}, st.consumer,
                         std::to_string(st.opts.claim_idle.count()), "0-0", "COUNT",
                         std::to_string(st.opts.batch)}};
    return ask_redis(self, {std::move(claim)}, "claim", [self](replies&) {
      self->state.next_claim = clock_type::now() + self->state.opts.claim_interval;
      read(self, "0");
    });
  }
  read(self, "0");
}

status_relay_actor::behavior_type relay_behavior(relay_self self, redis_actor redis, bus_actor bus,
                                                 std::string prefix, std::string consumer,
                                                 std::chrono::milliseconds store_timeout,
                                                 std::shared_ptr<status_metrics> metrics,
                                                 relay_options opts) {
  auto& st = self->state;
  st.redis = std::move(redis);
  st.bus = std::move(bus);
  st.prefix = std::move(prefix);
  st.consumer = std::move(consumer);
  st.key = outbox_key();
  st.store_timeout = store_timeout;
  st.opts = opts;
  st.metrics = metrics ? std::move(metrics) : std::make_shared<status_metrics>();
  st.tick_pending = true;
  self->delayed_send(self, std::chrono::milliseconds{50}, tick_atom_v);
  return {
      [self](st_poke_atom) { cycle(self); },
      [self](tick_atom) {
        self->state.tick_pending = false;
        cycle(self);
      },
  };
}

} // namespace

status_relay_actor spawn_status_relay(caf::actor_system& sys, const config::settings& cfg,
                                      redis_actor redis, bus_actor bus,
                                      std::shared_ptr<status_metrics> metrics, relay_options opts) {
  return sys.spawn(relay_behavior, std::move(redis), std::move(bus), cfg.nats_prefix,
                   cfg.node_id.empty() ? std::string{"node"} : cfg.node_id,
                   std::chrono::milliseconds(cfg.store_timeout_ms + 1000), std::move(metrics),
                   opts);
}

} // namespace haven::status
