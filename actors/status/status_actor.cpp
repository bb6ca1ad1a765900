#include "actors/status/status_actor.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/status/status_rules.hpp"
#include "actors/status/status_script.hpp"
#include "base/log/log.hpp"
#include "messages/errors.hpp"
#include "persistence/outbox/event.hpp"

namespace haven::status {

namespace {

struct status_state {
  status_deps d;
  static inline const char* name = "status";
};

using status_self = status_actor::stateful_pointer<status_state>;
using view_promise = caf::typed_response_promise<status_view>;

std::chrono::milliseconds store_timeout(status_self self) {
  return std::chrono::milliseconds(self->state.d.cfg->store_timeout_ms);
}

caf::error unavailable() {
  return make_retry_error(errc::dependency_unavailable, "the status store is unavailable", 1);
}

// The Redis client's error (circuit open, timeout, overload) as the client sees it.
caf::error store_error(const caf::error& err) {
  if (err.category() == errc_category && err.code() == static_cast<uint8_t>(errc::overloaded))
    return make_retry_error(errc::overloaded, "the status store is busy, retry later", 1);
  return unavailable();
}

// A Redis error reply: a store that is starting, full or read-only is
// unavailable for now; anything else is our bug (logged without user data).
caf::error reply_error(const redis_reply& r) {
  for (const char* transient : {"LOADING", "BUSY", "MASTERDOWN", "OOM", "READONLY", "TRYAGAIN"})
    if (r.str.rfind(transient, 0) == 0)
      return unavailable();
  log::error("status script failed", {{"reason", r.str.substr(0, 200)}});
  return make_error(errc::internal);
}

std::vector<std::string> strings_of(const redis_reply& r) {
  std::vector<std::string> out;
  out.reserve(r.elements.size());
  for (const auto& e : r.elements)
    out.push_back(e.str);
  return out;
}

caf::error not_found() {
  return make_error(errc::not_found, "no such resource");
}

view_promise on_update(status_self self, status_update& u) {
  auto rp = self->make_response_promise<status_view>();
  auto& d = self->state.d;
  event_meta meta{outbox::new_event_id(),
                  outbox::format_rfc3339_ms(std::chrono::system_clock::now()), d.cfg->node_id,
                  u.caller.request_id};
  auto id = u.resource_id;
  self->request(d.redis, store_timeout(self), update_call(u, meta))
      .then(
          [self, rp, id](redis_reply& r) mutable {
            if (r.kind == redis_reply::error_kind)
              return void(rp.deliver(reply_error(r)));
            if (r.kind != redis_reply::array_kind || r.elements.empty())
              return void(rp.deliver(make_error(errc::internal)));
            if (r.elements[0].str != "ok" || r.elements.size() < 2) {
              self->state.d.metrics->refused.fetch_add(1, std::memory_order_relaxed);
              return void(rp.deliver(not_found()));
            }
            self->state.d.metrics->updates.fetch_add(1, std::memory_order_relaxed);
            // Committed, event included: the relay may move it now.
            if (self->state.d.relay)
              self->send(self->state.d.relay, st_poke_atom_v);
            auto rec = decode_record(id, strings_of(r.elements[1]));
            if (!rec)
              return void(rp.deliver(make_error(errc::internal)));
            rp.deliver(std::move(rec->view));
          },
          [self, rp](caf::error& err) mutable {
            self->state.d.metrics->store_failures.fetch_add(1, std::memory_order_relaxed);
            rp.deliver(store_error(err));
          });
  return rp;
}

view_promise on_get(status_self self, session_ref& caller, std::string& id) {
  auto rp = self->make_response_promise<status_view>();
  std::vector<redis_command> cmds{{{"HGETALL", record_key(id)}}};
  self->request(self->state.d.redis, store_timeout(self), std::move(cmds))
      .then(
          [rp, caller, id](std::vector<redis_reply>& rs) mutable {
            if (rs.size() != 1)
              return void(rp.deliver(make_error(errc::internal)));
            if (rs[0].kind == redis_reply::error_kind)
              return void(rp.deliver(reply_error(rs[0])));
            auto rec = decode_record(id, strings_of(rs[0]));
            // Someone else's record reads exactly like a missing one.
            if (!rec || !may_access(rec->owner, rec->org, caller))
              return void(rp.deliver(not_found()));
            rp.deliver(std::move(rec->view));
          },
          [self, rp](caf::error& err) mutable {
            self->state.d.metrics->store_failures.fetch_add(1, std::memory_order_relaxed);
            rp.deliver(store_error(err));
          });
  return rp;
}

status_actor::behavior_type status_behavior(status_self self, status_deps d) {
  self->state.d = std::move(d);
  if (!self->state.d.metrics)
    self->state.d.metrics = std::make_shared<status_metrics>();
  return {
      [self](status_update& u) { return on_update(self, u); },
      [self](st_get_atom, session_ref& caller, std::string& id) {
        return on_get(self, caller, id);
      },
  };
}

} // namespace

status_actor spawn_status_actor(caf::actor_system& sys, status_deps deps) {
  return sys.spawn(status_behavior, std::move(deps));
}

} // namespace haven::status
