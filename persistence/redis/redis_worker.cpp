#include "persistence/redis/redis_worker.hpp"

#include <chrono>
#include <memory>
#include <unordered_map>

#include <caf/all.hpp>

#include "base/log/log.hpp"
#include "messages/errors.hpp"

namespace haven::redis {

namespace {

struct worker_state {
  std::unique_ptr<redis_connection> conn;
  std::unordered_map<std::string, std::string> scripts; // name -> Lua source
  int64_t last_failure_ns = 0;
  bool healthy = true; // logs once per outage, not once per call
  int index = 0;
  static inline const char* name = "redis-worker";
};

using worker_pointer = worker_actor::stateful_pointer<worker_state>;

caf::error unavailable() {
  return make_error(errc::dependency_unavailable);
}

void on_failure(worker_pointer self, const std::string& err) {
  auto& st = self->state;
  st.last_failure_ns = now_ns();
  if (st.healthy) {
    st.healthy = false;
    const auto idx = std::to_string(st.index);
    log::warn("redis connection failed", {{"worker", idx, false}, {"reason", err}});
  }
}

void on_success(worker_pointer self) {
  auto& st = self->state;
  if (!st.healthy) {
    st.healthy = true;
    const auto idx = std::to_string(st.index);
    log::info("redis connection restored", {{"worker", idx, false}});
  }
}

worker_actor::behavior_type worker(worker_pointer self, redis_conn_params params,
                                   std::vector<redis_script> scripts, int index) {
  self->state.conn = std::make_unique<redis_connection>(std::move(params));
  self->state.index = index;
  for (auto& s : scripts)
    self->state.scripts[s.name] = std::move(s.source);
  return {
      [=](int64_t sent_ns,
          std::vector<redis_command>& cmds) -> caf::result<std::vector<redis_reply>> {
        if (sent_ns < self->state.last_failure_ns)
          return unavailable();
        std::vector<redis_reply> out;
        std::string err;
        if (!self->state.conn->pipeline(cmds, out, err)) {
          on_failure(self, err);
          return unavailable();
        }
        on_success(self);
        return out;
      },
      [=](int64_t sent_ns, redis_script_call& call) -> caf::result<redis_reply> {
        if (sent_ns < self->state.last_failure_ns)
          return unavailable();
        auto it = self->state.scripts.find(call.script_name);
        if (it == self->state.scripts.end())
          return make_error(errc::internal);
        redis_reply out;
        std::string err;
        if (!self->state.conn->eval(it->first, it->second, call.keys, call.args, out, err)) {
          on_failure(self, err);
          return unavailable();
        }
        on_success(self);
        return out;
      },
      [=](redis_script& s) {
        self->state.conn->forget_script(s.name);
        self->state.scripts[s.name] = std::move(s.source);
      },
      [=](probe_atom) {
        std::string err;
        if (!self->state.conn->ping(err)) {
          on_failure(self, err);
          return false;
        }
        on_success(self);
        return true;
      },
  };
}

} // namespace

int64_t now_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

worker_actor spawn_worker(caf::actor_system& sys, redis_conn_params params,
                          std::vector<redis_script> scripts, int index) {
  return sys.spawn<caf::detached>(worker, std::move(params), std::move(scripts), index);
}

} // namespace haven::redis
