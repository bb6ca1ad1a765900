#include "actors/rate_buckets/membership.hpp"

#include <chrono>
#include <string>
#include <unordered_map>

#include <caf/all.hpp>

namespace haven::rate {

namespace {

using steady = std::chrono::steady_clock;
constexpr auto push_period = std::chrono::milliseconds(250);
// Far more nodes than any deployment of this design runs.
constexpr size_t max_tracked_nodes = 256;

struct membership_state {
  std::shared_ptr<const config::settings> cfg;
  bus_actor bus;
  redis_actor redis;
  rate_listener edge;
  std::string subject;
  std::unordered_map<std::string, steady::time_point> seen; // other nodes
  steady::time_point next_beat;
  bool subscribed = false;
  bool subscribing = false;
  bool redis_up = true;
  static inline const char* name = "rate-membership";
};

using self_ptr = rate_membership_actor::stateful_pointer<membership_state>;

void subscribe(self_ptr self) {
  auto& st = self->state;
  if (st.subscribed || st.subscribing)
    return;
  st.subscribing = true;
  self->request(st.bus, std::chrono::seconds(5), subscribe_atom_v, st.subject, std::string{},
                caf::actor_cast<bus_listener>(self))
      .then([self](bool ok) { self->state.subscribed = ok, self->state.subscribing = false; },
            [self](caf::error&) { self->state.subscribing = false; }); // retried next tick
}

uint32_t live_nodes(self_ptr self, steady::time_point now) {
  auto& seen = self->state.seen;
  uint32_t live = 1; // ourselves
  for (auto i = seen.begin(); i != seen.end();) {
    if (now - i->second > node_liveness) {
      i = seen.erase(i);
    } else {
      ++live;
      ++i;
    }
  }
  return live;
}

void on_tick(self_ptr self) {
  auto& st = self->state;
  auto now = steady::now();
  subscribe(self);
  if (now >= st.next_beat) {
    st.next_beat = now + heartbeat_period;
    bus_message beat{st.subject, {}, {}, st.cfg->node_id};
    self->request(st.bus, std::chrono::seconds(2), publish_atom_v, std::move(beat))
        .then([](bool) {}, [](caf::error&) {}); // NATS down: others stop counting us
  }
  // The circuit state costs no Redis call; a dead client counts as down.
  self->request(st.redis, push_period, status_atom_v)
      .then([self](bool open) { self->state.redis_up = !open; },
            [self](caf::error&) { self->state.redis_up = false; });
  self->send(st.edge, rate_cluster_status{live_nodes(self, now), st.redis_up});
  self->delayed_send(self, push_period, tick_atom_v);
}

} // namespace

rate_membership_actor spawn_membership(caf::actor_system& sys,
                                       std::shared_ptr<const config::settings> cfg, bus_actor bus,
                                       redis_actor redis, rate_listener edge) {
  return sys.spawn([cfg = std::move(cfg), bus = std::move(bus), redis = std::move(redis),
                    edge = std::move(edge)](self_ptr self) -> rate_membership_actor::behavior_type {
    auto& st = self->state;
    st.cfg = cfg;
    st.bus = bus;
    st.redis = redis;
    st.edge = edge;
    st.subject = cfg->nats_prefix + ".cluster.heartbeat";
    self->send(self, tick_atom_v);
    return {
        [self](bus_message& m) {
          if (m.data.empty() || m.data.size() > 64 || m.data == self->state.cfg->node_id)
            return;
          // Bounded (audit M6): heartbeats under made-up names cannot grow the
          // table past what any real cluster has, whoever publishes them.
          auto& seen = self->state.seen;
          if (seen.size() >= max_tracked_nodes && seen.find(m.data) == seen.end())
            return;
          seen[m.data] = steady::now();
        },
        [self](tick_atom) { on_tick(self); },
    };
  });
}

} // namespace haven::rate
