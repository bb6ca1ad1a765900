#include "persistence/redis/redis_client.hpp"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>

#include <caf/all.hpp>

#include "base/log/log.hpp"
#include "config/settings.hpp"
#include "messages/errors.hpp"
#include "persistence/redis/circuit_breaker.hpp"
#include "persistence/redis/redis_worker.hpp"

namespace haven {

namespace {

using redis::circuit_breaker;
using redis::now_ns;
using redis::redis_conn_params;
using redis::worker_actor;
using clock_type = std::chrono::steady_clock;

// The front also ticks itself while probing; the tick stays out of the public interface.
using front_actor = redis_actor::extend<caf::reacts_to<tick_atom>>;

struct front_state {
  std::vector<worker_actor> workers;
  std::vector<size_t> in_flight; // per worker
  size_t total_in_flight = 0;
  size_t max_in_flight = 0;
  size_t next_worker = 0; // round robin among equally busy workers
  size_t next_prober = 0;
  caf::timespan guard{}; // answers the caller even if a worker is stuck past its timeouts
  circuit_breaker breaker;
  std::unordered_set<std::string> scripts;
  bool tick_pending = false;
  static inline const char* name = "redis";
};

using front_pointer = front_actor::stateful_pointer<front_state>;

caf::error unavailable() {
  return make_error(errc::dependency_unavailable);
}

// Redis unreachable, timed out, or the worker did not answer in time. Other
// errors (errc::internal for an unknown script) say nothing about Redis.
bool is_outage(const caf::error& e) {
  if (e.category() == errc_category)
    return e.code() == static_cast<uint8_t>(errc::dependency_unavailable);
  return true;
}

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

void maybe_probe(front_pointer self);

void probe_done(front_pointer self, bool ok) {
  auto& st = self->state;
  const auto down_ms = std::to_string(static_cast<int64_t>(ms_since(st.breaker.opened_at())));
  if (st.breaker.on_probe_result(ok, clock_type::now()))
    log::info("redis circuit closed", {{"down_ms", down_ms, false}});
  else
    maybe_probe(self);
}

// While open: probe now if due, otherwise wake up when it is.
void maybe_probe(front_pointer self) {
  auto& st = self->state;
  const auto now = clock_type::now();
  if (!st.breaker.is_open() || st.breaker.probe_in_flight())
    return;
  if (st.breaker.probe_due(now)) {
    st.breaker.probe_started(now);
    auto& w = st.workers[st.next_prober++ % st.workers.size()];
    self->request(w, st.guard, probe_atom_v)
        .then([=](bool ok) { probe_done(self, ok); },
              [=](caf::error&) { probe_done(self, false); });
  } else if (!st.tick_pending) {
    st.tick_pending = true;
    self->delayed_send(self, st.breaker.next_probe_at() - now, tick_atom_v);
  }
}

void finished(front_pointer self, size_t worker, const caf::error* err) {
  auto& st = self->state;
  --st.in_flight[worker];
  --st.total_in_flight;
  if (err == nullptr) {
    st.breaker.on_success();
  } else if (is_outage(*err) && st.breaker.on_failure(clock_type::now())) {
    log::warn("redis circuit open: calls fail fast until a probe succeeds");
    maybe_probe(self);
  }
}

// The least busy worker; ties go round robin.
size_t pick_worker(front_state& st) {
  const size_t n = st.workers.size();
  size_t best = st.next_worker % n;
  for (size_t k = 1; k < n; ++k) {
    size_t i = (st.next_worker + k) % n;
    if (st.in_flight[i] < st.in_flight[best])
      best = i;
  }
  st.next_worker = best + 1;
  return best;
}

template <class Reply, class Job>
caf::result<Reply> dispatch(front_pointer self, Job&& job) {
  auto& st = self->state;
  if (!st.breaker.allow())
    return unavailable(); // fail fast: no wait on a server known to be down
  if (st.total_in_flight >= st.max_in_flight)
    return make_error(errc::overloaded);
  const size_t i = pick_worker(st);
  ++st.in_flight[i];
  ++st.total_in_flight;
  auto rp = self->template make_response_promise<Reply>();
  self->request(st.workers[i], st.guard, now_ns(), std::forward<Job>(job))
      .then(
          [=](Reply& r) mutable {
            finished(self, i, nullptr);
            rp.deliver(std::move(r));
          },
          [=](caf::error& e) mutable {
            finished(self, i, &e);
            rp.deliver(is_outage(e) ? unavailable() : std::move(e));
          });
  return rp;
}

front_actor::behavior_type front(front_pointer self, std::vector<worker_actor> workers,
                                 std::vector<std::string> script_names,
                                 circuit_breaker::options breaker, caf::timespan guard,
                                 size_t max_in_flight) {
  auto& st = self->state;
  st.in_flight.assign(workers.size(), 0);
  st.workers = std::move(workers);
  st.breaker = circuit_breaker{breaker};
  st.guard = guard;
  st.max_in_flight = std::max<size_t>(1, max_in_flight);
  st.scripts.insert(script_names.begin(), script_names.end());
  return {
      [=](std::vector<redis_command>& cmds) -> caf::result<std::vector<redis_reply>> {
        if (cmds.empty())
          return std::vector<redis_reply>{};
        for (auto& c : cmds)
          if (c.args.empty())
            return make_error(errc::internal); // a caller bug, not an outage
        return dispatch<std::vector<redis_reply>>(self, std::move(cmds));
      },
      [=](redis_script_call& call) -> caf::result<redis_reply> {
        if (self->state.scripts.count(call.script_name) == 0) {
          log::warn("unknown redis script", {{"script", call.script_name}});
          return make_error(errc::internal);
        }
        return dispatch<redis_reply>(self, std::move(call));
      },
      [=](redis_script& s) {
        self->state.scripts.insert(s.name);
        for (auto& w : self->state.workers)
          self->send(w, s);
      },
      [=](status_atom) { return self->state.breaker.is_open(); },
      [=](tick_atom) {
        self->state.tick_pending = false;
        maybe_probe(self);
      },
  };
}

} // namespace

redis_actor spawn_redis(caf::actor_system& sys, const config::settings& cfg, redis_options opts) {
  redis_conn_params params;
  params.host = cfg.redis_host;
  params.port = cfg.redis_port;
  params.db = cfg.redis_db;
  params.user = cfg.redis_user;
  params.password = cfg.redis_password;
  params.timeout =
      opts.timeout.count() > 0 ? opts.timeout : std::chrono::milliseconds{cfg.store_timeout_ms};
  std::vector<std::string> names;
  for (auto& s : opts.scripts)
    names.push_back(s.name);
  const int n = static_cast<int>(std::clamp<size_t>(opts.workers, 1, 8));
  std::vector<worker_actor> workers;
  for (int i = 0; i < n; ++i)
    workers.push_back(redis::spawn_worker(sys, params, opts.scripts, i));
  // Worst case for one job: a connect and one read, each bounded by the timeout.
  const caf::timespan guard = 2 * params.timeout + std::chrono::milliseconds{500};
  circuit_breaker::options breaker{opts.failures_to_open, opts.probe_interval};
  auto impl = sys.spawn(front, workers, std::move(names), breaker, guard, opts.max_in_flight);
  // Workers live exactly as long as the front actor.
  for (auto& w : workers)
    impl->attach_functor(
        [w](const caf::error&) { caf::anon_send_exit(w, caf::exit_reason::user_shutdown); });
  return caf::actor_cast<redis_actor>(impl);
}

} // namespace haven
