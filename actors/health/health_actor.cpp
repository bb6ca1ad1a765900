#include "actors/health/health_actor.hpp"

#include <vector>

#include <caf/all.hpp>

#include "actors/health/health_rules.hpp"
#include "config/settings.hpp"
#include "io/nats/nats_probe.hpp"
#include "persistence/pg/pg_probe.hpp"
#include "persistence/redis/redis_probe.hpp"

namespace haven::health {

namespace {

// The health actor also ticks itself; the tick stays out of the public interface.
using health_impl = health_actor::extend<caf::reacts_to<tick_atom>>;

template <class Probe>
prober_actor::behavior_type prober(prober_actor::pointer, std::shared_ptr<Probe> probe,
                                   std::chrono::milliseconds timeout) {
  return {[=](probe_atom) { return probe->ping(timeout); }};
}

struct health_state {
  health_snapshot snapshot;
  std::vector<health_listener> listeners;
  int pending = 0; // probes of the current round still outstanding
  static inline const char* name = "health";
};

health_impl::behavior_type health_behavior(health_impl::stateful_pointer<health_state> self,
                                           std::vector<prober_actor> probers, probe_timing timing,
                                           pg_pool_stats_actor pool, outbox_relay_actor outbox) {
  auto publish = [self] {
    for (auto& listener : self->state.listeners)
      self->send(listener, self->state.snapshot);
  };
  auto slot_of = [self](size_t i) -> probe_result& {
    auto& s = self->state.snapshot;
    return i == 0 ? s.postgres : (i == 1 ? s.redis : s.nats);
  };
  self->send(self, tick_atom_v);
  return {
      [=](tick_atom) {
        self->delayed_send(self, timing.interval, tick_atom_v);
        if (self->state.pending > 0)
          return; // the previous round has not finished: its timeouts will answer
        // Side facts for /metrics; they arrive whenever they arrive (no round waits on them).
        auto side_timeout = timing.interval;
        if (pool)
          self->request(pool, side_timeout, pg_stats_atom_v)
              .then([=](pg_pool_stats st) { self->state.snapshot.pool = st; }, [](caf::error&) {});
        if (outbox)
          self->request(outbox, side_timeout, get_atom_v, outbox_atom_v)
              .then([=](int64_t depth) { self->state.snapshot.outbox_depth = depth; },
                    [](caf::error&) {});
        self->state.pending = static_cast<int>(probers.size());
        for (size_t i = 0; i < probers.size(); ++i) {
          auto finish = [=](probe_result r) {
            slot_of(i) = std::move(r);
            if (--self->state.pending == 0) {
              self->state.snapshot.probed = true;
              self->state.snapshot.overall = overall_status(self->state.snapshot);
              publish();
            }
          };
          // The request timeout guards against a prober stuck past its own deadline.
          self->request(probers[i], timing.timeout + std::chrono::milliseconds(400), probe_atom_v)
              .then(finish, [=](caf::error&) {
                finish(probe_result{false, 0, "probe timed out"});
              });
        }
      },
      [=](subscribe_atom, health_listener listener) {
        if (self->state.snapshot.probed)
          self->send(listener, self->state.snapshot);
        self->state.listeners.push_back(std::move(listener));
      },
      [=](get_atom) { return self->state.snapshot; },
  };
}

} // namespace

health_actor spawn_health(caf::actor_system& sys, const config::settings& cfg, probe_timing timing,
                          pg_pool_stats_actor pool, outbox_relay_actor outbox) {
  using std::make_shared;
  std::vector<prober_actor> probers{
      sys.spawn<caf::detached>(prober<pg_probe>, make_shared<pg_probe>(cfg.pg_url), timing.timeout),
      sys.spawn<caf::detached>(
          prober<redis_probe>,
          make_shared<redis_probe>(cfg.redis_host, cfg.redis_port, cfg.redis_db), timing.timeout),
      sys.spawn<caf::detached>(prober<nats_probe>, make_shared<nats_probe>(cfg.nats_urls),
                               timing.timeout),
  };
  auto impl = sys.spawn(health_behavior, probers, timing, pool, outbox);
  // Probers live exactly as long as the health actor.
  for (auto& p : probers)
    impl->attach_functor(
        [p](const caf::error&) { caf::anon_send_exit(p, caf::exit_reason::user_shutdown); });
  return caf::actor_cast<health_actor>(impl);
}

} // namespace haven::health
