#include <memory>

#include <caf/all.hpp>

#include "base/log/log.hpp"
#include "persistence/pg/pg_connection.hpp"
#include "persistence/pg/pg_pool_internal.hpp"

namespace haven::pg {

namespace {

struct worker_state {
  std::unique_ptr<connection> conn;
  caf::actor_addr front;       // weak: the front owns us, not the other way round
  bool last_connect_ok = true; // log connect failures once, not every second
  static inline const char* name = "pg_worker";
};

using worker_pointer = worker_actor::stateful_pointer<worker_state>;

// Sent before the reply leaves (the handler returns it), which is fine: the
// front only queues the next batch in our mailbox.
void done(worker_pointer self, uint32_t index, link_state st, bool ok) {
  if (auto front = caf::actor_cast<front_actor>(self->state.front))
    self->send(front, done_atom_v, index, static_cast<uint8_t>(st), ok);
}

void log_failure(const outcome& out, uint32_t index) {
  const auto idx = std::to_string(index);
  if (out.fail == failure::internal)
    log::error("postgres statement failed",
               {{"sqlstate", out.sqlstate}, {"reason", out.reason}, {"worker", idx, false}});
  else if (out.fail == failure::unavailable)
    log::warn("postgres batch failed",
              {{"sqlstate", out.sqlstate}, {"reason", out.reason}, {"worker", idx, false}});
}

caf::result<std::vector<pg_result>> handle(worker_pointer self, const worker_config& cfg,
                                           uint32_t index, const pg_batch& batch) {
  auto& st = self->state;
  auto& conn = *st.conn;
  if (!conn.usable()) {
    auto c = conn.connect(clock::now() + cfg.connect_timeout);
    if (!c.ok() && st.last_connect_ok)
      log::warn("postgres connect failed",
                {{"reason", c.reason}, {"worker", std::to_string(index), false}});
    st.last_connect_ok = c.ok();
    if (!c.ok()) {
      done(self, index, link_state::connect_failed, false);
      return to_error(failure::unavailable);
    }
  }
  const auto deadline = clock::now() + cfg.query_timeout;
  auto out = conn.run(batch, deadline, cfg.cancel_grace);
  // Serialization failures and deadlocks rolled everything back: one retry.
  if (out.fail == failure::retry && conn.connected() && clock::now() < deadline)
    out = conn.run(batch, deadline, cfg.cancel_grace);
  done(self, index, conn.connected() ? link_state::up : link_state::down, out.ok());
  if (out.ok())
    return std::move(out.results);
  log_failure(out, index);
  return to_error(out.fail, out.constraint);
}

worker_actor::behavior_type worker(worker_pointer self, worker_config cfg, uint32_t index,
                                   caf::actor_addr front) {
  self->state.conn = std::make_unique<connection>(cfg.conninfo);
  self->state.front = std::move(front);
  return {
      [=](const pg_batch& batch) { return handle(self, cfg, index, batch); },
  };
}

} // namespace

worker_actor spawn_worker(caf::local_actor* parent, const worker_config& cfg, uint32_t index) {
  return parent->spawn<caf::detached + caf::linked>(worker, cfg, index, parent->address());
}

} // namespace haven::pg
