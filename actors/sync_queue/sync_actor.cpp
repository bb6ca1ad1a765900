#include "actors/sync_queue/sync_actor.hpp"

#include <deque>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/sync_queue/op_rules.hpp"
#include "actors/sync_queue/sync_sql.hpp"
#include "base/json/json_writer.hpp"
#include "base/log/log.hpp"
#include "messages/errors.hpp"
#include "messages/type_ids.hpp"
#include "persistence/outbox/event.hpp"

namespace haven::sync {

namespace {

using upload_promise = caf::typed_response_promise<sync_upload_result>;
// `tick` = passivate: quit normally (the front links its queues, so they die
// with it; a normal exit of a queue leaves the front alive).
using user_queue_actor = caf::typed_actor<caf::replies_to<sync_upload>::with<sync_upload_result>,
                                          caf::reacts_to<tick_atom>>;

std::chrono::milliseconds store_wait(const sync_deps& d) {
  // The pool bounds the wait for a connection and the batch by the store
  // timeout each; one more second covers the hop.
  return std::chrono::milliseconds(2 * d.cfg->store_timeout_ms + 1000);
}

// ---- the per-user queue ----------------------------------------------------

struct job {
  sync_upload upload;
  upload_promise rp;
  int plans = 0;
};

struct user_state {
  sync_deps d;
  std::deque<std::shared_ptr<job>> queue; // front = running
  bool busy = false;
};

using user_self = user_queue_actor::stateful_pointer<user_state>;

void start_next(user_self self);

void count(sync_metrics& mm, const std::vector<sync_op_result>& results) {
  for (const auto& r : results) {
    auto& c = r.status == "applied"     ? mm.applied
              : r.status == "duplicate" ? mm.duplicate
              : r.status == "conflict"  ? mm.conflict
                                        : mm.rejected;
    c.fetch_add(1, std::memory_order_relaxed);
  }
}

void finish(user_self self, caf::expected<sync_upload_result> out) {
  auto& st = self->state;
  auto j = st.queue.front();
  st.queue.pop_front();
  st.busy = false;
  st.d.metrics->queued_uploads.fetch_sub(1, std::memory_order_relaxed);
  if (out) {
    st.d.metrics->uploads.fetch_add(1, std::memory_order_relaxed);
    count(*st.d.metrics, out->results);
    j->rp.deliver(std::move(*out));
  } else {
    st.d.metrics->failed.fetch_add(1, std::memory_order_relaxed);
    j->rp.deliver(std::move(out.error()));
  }
  start_next(self);
}

// One sync.applied per applied op: ids, kinds and versions only, never the
// payload (docs/sync.md).
std::vector<pg_statement> applied_events(const sync_deps& d, const sync_upload& up, const plan& p) {
  std::vector<pg_statement> out;
  out.reserve(p.changes.size());
  auto subject = outbox::event_subject(d.cfg->nats_prefix, "sync.applied");
  for (const auto& c : p.changes) {
    const auto& op = up.ops[c.op];
    json::writer w;
    w.begin_object();
    w.field("user_id", up.user_id);
    w.field("device_id", up.device_id);
    w.field("op_id", op.op_id);
    w.field("entity", op.entity);
    w.field("entity_id", op.entity_id);
    w.field("kind", op.is_delete ? "delete" : "upsert");
    w.field("version", c.version);
    w.field("seq", c.seq);
    w.end_object();
    auto e =
        outbox::make_event("sync.applied", d.cfg->node_id, std::move(w).str(), {}, up.request_id);
    out.push_back(outbox::outbox_insert(e, subject, up.user_id));
  }
  return out;
}

void after_commit(const sync_deps& d, const sync_upload& up, int64_t last_seq) {
  if (d.outbox)
    caf::anon_send(d.outbox, outbox_atom_v);
  if (!d.bus)
    return;
  // A live feed connection on any node can push at once. Best effort: a lost
  // poke only delays a push until the client's next poll.
  json::writer w;
  w.begin_object().field("user_id", up.user_id).field("seq", last_seq).end_object();
  caf::anon_send(
      d.bus, publish_atom_v,
      bus_message{d.cfg->nats_prefix + ".cluster.sync." + up.user_id, {}, {}, std::move(w).str()});
}

void plan_and_write(user_self self, std::shared_ptr<job> j);

void write(user_self self, std::shared_ptr<job> j, store_view view, plan p) {
  auto& d = self->state.d;
  auto events = applied_events(d, j->upload, p);
  auto batch = write_batch(j->upload, view, p, std::move(events));
  auto shared = std::make_shared<plan>(std::move(p));
  self->request(d.pg, store_wait(d), std::move(batch))
      .then(
          [self, j, shared](std::vector<pg_result>&) {
            if (!shared->changes.empty())
              after_commit(self->state.d, j->upload, shared->last_seq);
            finish(self, sync_upload_result{std::move(shared->results), shared->last_seq});
          },
          [self, j](caf::error& err) {
            if (conflict_constraint(err) == claim_moved) {
              self->state.d.metrics->replans.fetch_add(1, std::memory_order_relaxed);
              return plan_and_write(self, j);
            }
            finish(self, std::move(err));
          });
}

void plan_and_write(user_self self, std::shared_ptr<job> j) {
  auto& d = self->state.d;
  if (++j->plans > d.max_plans)
    return finish(self, make_retry_error(errc::overloaded, "too many concurrent uploads", 1));
  self->request(d.pg, store_wait(d), read_batch(j->upload))
      .then(
          [self, j](std::vector<pg_result>& rows) {
            auto view = read_view(rows);
            auto p = make_plan(j->upload, view);
            if (!p.writes()) // all duplicates: answered from what is committed
              return finish(self, sync_upload_result{std::move(p.results), view.last_seq});
            write(self, j, std::move(view), std::move(p));
          },
          [self](caf::error& err) { finish(self, std::move(err)); });
}

void start_next(user_self self) {
  auto& st = self->state;
  if (st.busy || st.queue.empty())
    return;
  st.busy = true;
  plan_and_write(self, st.queue.front());
}

user_queue_actor::behavior_type user_queue(user_self self, sync_deps d) {
  self->state.d = std::move(d);
  return {
      [self](sync_upload& up) -> upload_promise {
        auto& st = self->state;
        auto rp = self->make_response_promise<sync_upload_result>();
        if (st.queue.size() >= st.d.max_queued) {
          rp.deliver(make_retry_error(errc::overloaded, "too many uploads queued", 1));
          return rp;
        }
        st.d.metrics->queued_uploads.fetch_add(1, std::memory_order_relaxed);
        st.queue.push_back(std::make_shared<job>(job{std::move(up), rp, 0}));
        start_next(self);
        return rp;
      },
      [self](tick_atom) { self->quit(); },
  };
}

// ---- the front ----------------------------------------------------------------

using front_actor = sync_actor::extend<caf::reacts_to<tick_atom>>;

struct queue_entry {
  user_queue_actor actor;
  uint32_t in_flight = 0;
  std::chrono::steady_clock::time_point last_used;
};

struct front_state {
  sync_deps d;
  std::unordered_map<std::string, queue_entry> queues; // by user id
};

using front_self = front_actor::stateful_pointer<front_state>;

queue_entry& queue_of(front_self self, const std::string& user_id) {
  auto& st = self->state;
  auto it = st.queues.find(user_id);
  if (it == st.queues.end()) {
    auto a = self->spawn<caf::linked>(user_queue, st.d);
    it = st.queues.emplace(user_id, queue_entry{std::move(a), 0, {}}).first;
    st.d.metrics->queues.fetch_add(1, std::memory_order_relaxed);
  }
  return it->second;
}

// Passivates idle queues. Only the front hands uploads to a queue and it
// counts what it handed out, so a queue with none in flight is empty and
// nothing can be on its way to it.
void passivate(front_self self) {
  auto& st = self->state;
  auto cutoff = std::chrono::steady_clock::now() - st.d.idle;
  for (auto it = st.queues.begin(); it != st.queues.end();) {
    if (it->second.in_flight == 0 && it->second.last_used < cutoff) {
      caf::anon_send(it->second.actor, tick_atom_v);
      st.d.metrics->queues.fetch_sub(1, std::memory_order_relaxed);
      it = st.queues.erase(it);
    } else {
      ++it;
    }
  }
}

front_actor::behavior_type front(front_self self, sync_deps d) {
  self->state.d = std::move(d);
  self->delayed_send(self, self->state.d.idle / 3, tick_atom_v);
  return {
      [self](sync_upload& up) -> upload_promise {
        auto rp = self->make_response_promise<sync_upload_result>();
        auto user = up.user_id;
        auto& q = queue_of(self, user);
        ++q.in_flight;
        q.last_used = std::chrono::steady_clock::now();
        auto done = [self, user] {
          auto it = self->state.queues.find(user);
          if (it != self->state.queues.end()) {
            --it->second.in_flight;
            it->second.last_used = std::chrono::steady_clock::now();
          }
        };
        // The queue always answers (the pool bounds every store wait).
        self->request(q.actor, caf::infinite, std::move(up))
            .then(
                [rp, done](sync_upload_result& r) mutable {
                  done();
                  rp.deliver(std::move(r));
                },
                [rp, done](caf::error& err) mutable {
                  done();
                  rp.deliver(std::move(err));
                });
        return rp;
      },
      [self](sync_changes_query& q) -> caf::typed_response_promise<sync_changes_page> {
        auto rp = self->make_response_promise<sync_changes_page>();
        auto& d = self->state.d;
        self->request(d.pg, store_wait(d), changes_batch(q))
            .then(
                [rp, q](std::vector<pg_result>& rows) mutable {
                  if (rows.empty())
                    rp.deliver(make_error(errc::internal));
                  else
                    rp.deliver(read_changes(q, rows.front()));
                },
                [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
      [self](tick_atom) {
        passivate(self);
        self->delayed_send(self, self->state.d.idle / 3, tick_atom_v);
      },
  };
}

} // namespace

sync_actor spawn_sync_actor(caf::actor_system& sys, sync_deps deps) {
  return caf::actor_cast<sync_actor>(sys.spawn(front, std::move(deps)));
}

} // namespace haven::sync
