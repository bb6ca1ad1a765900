#include "persistence/pg/pg_pool.hpp"

#include <algorithm>
#include <deque>
#include <vector>

#include <caf/all.hpp>

#include "base/log/log.hpp"
#include "config/settings.hpp"
#include "messages/errors.hpp"
#include "persistence/pg/circuit_breaker.hpp"
#include "persistence/pg/pg_errors.hpp"
#include "persistence/pg/pg_pool_internal.hpp"

namespace haven {

namespace {

using clock = std::chrono::steady_clock;
using promise_t = caf::typed_response_promise<std::vector<pg_result>>;

struct job {
  pg_batch batch;
  promise_t promise;
  clock::time_point deadline; // by when a worker must have taken it
};

struct slot {
  pg::worker_actor worker;
  bool busy = false;
  bool connected = false; // as last reported by the worker
};

struct front_state {
  std::vector<slot> slots;
  std::deque<job> queue;
  pg::circuit_breaker breaker;
  size_t max_queue = 0;
  std::chrono::milliseconds timeout{0};
  bool tick_pending = false;
  bool was_open = false;
  uint64_t served = 0;
  uint64_t errors = 0;
  uint64_t rejected = 0;
  static inline const char* name = "pg_pool";
};

using front_pointer = pg::front_actor::stateful_pointer<front_state>;

// Fail fast: the last connect failed moments ago and no connection is up, so
// waiting would only cost the caller a timeout.
bool failing_fast(front_state& st, clock::time_point now) {
  if (!st.breaker.open(now))
    return false;
  return std::none_of(st.slots.begin(), st.slots.end(), [](const slot& s) { return s.connected; });
}

// An idle connected worker, else an idle one that must connect first (if the
// circuit allows a connect now).
slot* pick(front_state& st, clock::time_point now) {
  slot* cold = nullptr;
  for (auto& s : st.slots) {
    if (s.busy)
      continue;
    if (s.connected)
      return &s;
    if (cold == nullptr)
      cold = &s;
  }
  return cold != nullptr && st.breaker.try_connect(now) ? cold : nullptr;
}

void fail(front_state& st, job& j, caf::error err) {
  ++st.errors;
  j.promise.deliver(std::move(err));
}

void start(slot& s, job j) {
  s.busy = true;
  // The worker answers the caller itself and then sends us `done`.
  j.promise.delegate(s.worker, std::move(j.batch));
}

void schedule_tick(front_pointer self) {
  auto& st = self->state;
  if (st.tick_pending || st.queue.empty())
    return;
  st.tick_pending = true;
  auto wait = std::max(st.queue.front().deadline - clock::now(), clock::duration{0});
  self->delayed_send(self, wait + std::chrono::milliseconds(1), tick_atom_v);
}

void dispatch(front_pointer self) {
  auto& st = self->state;
  const auto now = clock::now();
  while (!st.queue.empty()) {
    auto& head = st.queue.front();
    if (head.deadline <= now) {
      fail(st, head, pg::to_error(pg::failure::unavailable)); // no connection in time
    } else if (failing_fast(st, now)) {
      fail(st, head, pg::to_error(pg::failure::unavailable));
    } else if (auto* s = pick(st, now)) {
      start(*s, std::move(head));
    } else {
      break;
    }
    st.queue.pop_front();
  }
  schedule_tick(self);
}

void on_done(front_pointer self, uint32_t index, pg::link_state link, bool ok) {
  auto& st = self->state;
  if (index >= st.slots.size())
    return;
  st.slots[index].busy = false;
  st.slots[index].connected = link == pg::link_state::up;
  ++(ok ? st.served : st.errors);
  if (link == pg::link_state::up)
    st.breaker.record_success();
  else if (link == pg::link_state::connect_failed)
    st.breaker.record_failure(clock::now());
  const bool open = st.breaker.open(clock::now());
  if (open != st.was_open) {
    st.was_open = open;
    if (open)
      log::warn("postgres unreachable: failing fast until a connect succeeds");
    else
      log::info("postgres reachable again");
  }
  dispatch(self);
}

pg_pool_stats stats(front_state& st) {
  pg_pool_stats s;
  s.size = static_cast<uint32_t>(st.slots.size());
  for (auto& x : st.slots) {
    s.in_use += x.busy ? 1 : 0;
    s.connected += x.connected ? 1 : 0;
  }
  s.idle = s.size - s.in_use;
  s.queued = static_cast<uint32_t>(st.queue.size());
  s.served = st.served;
  s.errors = st.errors;
  s.rejected = st.rejected;
  s.circuit_open = st.breaker.open(clock::now());
  return s;
}

pg::front_actor::behavior_type front(front_pointer self, pg::worker_config wcfg, uint32_t size) {
  auto& st = self->state;
  st.timeout = wcfg.query_timeout;
  st.max_queue = static_cast<size_t>(size) * 64;
  for (uint32_t i = 0; i < size; ++i)
    st.slots.push_back(slot{pg::spawn_worker(self, wcfg, i)});
  return {
      [=](pg_batch& batch) -> caf::result<std::vector<pg_result>> {
        auto& st = self->state;
        if (batch.statements.empty())
          return std::vector<pg_result>{};
        const auto now = clock::now();
        if (failing_fast(st, now) || st.queue.size() >= st.max_queue) {
          ++st.rejected;
          ++st.errors;
          if (st.queue.size() >= st.max_queue)
            return make_retry_error(errc::overloaded, "the database queue is full", 1);
          return pg::to_error(pg::failure::unavailable);
        }
        auto promise = self->make_response_promise<std::vector<pg_result>>();
        st.queue.push_back(job{std::move(batch), promise, now + st.timeout});
        dispatch(self);
        return promise;
      },
      [=](pg::done_atom, uint32_t index, uint8_t link, bool ok) {
        on_done(self, index, static_cast<pg::link_state>(link), ok);
      },
      [=](pg_stats_atom) { return stats(self->state); },
      [=](tick_atom) {
        self->state.tick_pending = false;
        dispatch(self);
      },
  };
}

} // namespace

pg_pool_actor spawn_pg_pool(caf::actor_system& sys, const config::settings& cfg) {
  pg::worker_config w;
  w.conninfo = cfg.pg_url;
  w.query_timeout = std::chrono::milliseconds{std::max<uint32_t>(cfg.store_timeout_ms, 1)};
  // A reconnect must not eat the whole budget; a cancel normally answers in 1 ms.
  w.connect_timeout = std::min(w.query_timeout, std::chrono::milliseconds{1000});
  w.cancel_grace = std::min(w.query_timeout, std::chrono::milliseconds{1000});
  auto front_handle = sys.spawn(front, w, std::max<uint32_t>(cfg.pg_pool_size, 1));
  return caf::actor_cast<pg_pool_actor>(front_handle);
}

} // namespace haven
