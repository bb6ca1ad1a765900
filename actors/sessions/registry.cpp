#include "actors/sessions/registry.hpp"

#include <functional>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/sessions/session_actor.hpp"
#include "actors/sessions/sessions_sql.hpp"
#include "base/log/log.hpp"
#include "messages/errors.hpp"

namespace haven::sessions {

namespace {

// The listing answers the newest sessions only (docs/conversations.md).
constexpr uint32_t max_listed_sessions = 100;

struct live_session {
  session_actor actor;
  uint64_t incarnation = 0;
};

struct registry_state {
  std::shared_ptr<const session_deps> d;
  std::unordered_map<std::string, live_session> live;
  uint64_t incarnations = 0;
  static inline const char* name = "haven.session_registry";
};

using registry_self = conversation_actor::stateful_pointer<registry_state>;

std::chrono::milliseconds store_wait(registry_self self) {
  return std::chrono::milliseconds(self->state.d->cfg->store_timeout_ms + 1000);
}

caf::error not_found() {
  return make_error(errc::not_found, "no such conversation session");
}

const session_actor& activate(registry_self self, const std::string& id,
                              session_actor& transient_out) {
  auto& st = self->state;
  auto i = st.live.find(id);
  if (i != st.live.end())
    return i->second.actor;
  auto me = caf::actor_cast<conversation_actor>(self);
  if (st.live.size() >= st.d->max_active_per_shard) {
    // Full: the turn still runs (a crisis message is never refused here), on
    // an actor that quits after it; PostgreSQL's version keeps it in order.
    transient_out = spawn_session(self->system(), st.d, me, id, 0, true);
    return transient_out;
  }
  auto inc = ++st.incarnations;
  auto actor = spawn_session(self->system(), st.d, me, id, inc, false);
  return st.live.emplace(id, live_session{std::move(actor), inc}).first->second.actor;
}

using messages_promise = caf::typed_response_promise<std::vector<message_view>>;

void list_page(registry_self self, messages_promise rp, session_ref caller, std::string id,
               uint32_t limit, std::optional<int64_t> before_seq) {
  pg_batch b;
  b.statements.push_back(list_messages(id, limit, before_seq));
  self->request(self->state.d->pg, store_wait(self), std::move(b))
      .then(
          [self, rp, caller](std::vector<pg_result>& rs) mutable {
            auto& st = self->state;
            std::vector<message_view> out;
            for (auto& m : read_messages(rs.at(0))) {
              auto text = st.d->keys->open(m.sealed, m.id, caller.user_id);
              if (!text) {
                st.d->metrics->unopenable.fetch_add(1, std::memory_order_relaxed);
                log::error("conversation message cannot be opened (missing data key?)",
                           {{"message_id", m.id}, {"key_id", m.sealed.key_id}});
                {
                  rp.deliver(make_error(errc::internal, "a message cannot be read now"));
                  return;
                }
              }
              out.push_back(
                  {std::move(m.id), std::move(m.role), std::move(*text), std::move(m.created_at)});
            }
            rp.deliver(std::move(out));
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

messages_promise on_messages(registry_self self, session_ref& caller, std::string& id,
                             uint32_t limit, std::string& before) {
  auto rp = self->make_response_promise<std::vector<message_view>>();
  pg_batch b;
  b.statements.push_back(session_owner(id));
  if (!before.empty())
    b.statements.push_back(message_seq(id, before));
  self->request(self->state.d->pg, store_wait(self), std::move(b))
      .then(
          [self, rp, caller, id, limit,
           has_before = !before.empty()](std::vector<pg_result>& rs) mutable {
            if (rs.at(0).rows.empty() || rs[0].rows[0][0].text != caller.user_id) {
              rp.deliver(not_found());
              return;
            }
            std::optional<int64_t> seq;
            if (has_before) {
              if (rs.size() < 2 || rs[1].rows.empty()) {
                rp.deliver(make_validation_error("before: no such message in this session",
                                                 {{"before", "not_found"}}));
                return;
              }
              seq = std::stoll(rs[1].rows[0][0].text);
            }
            list_page(self, rp, std::move(caller), std::move(id), limit, seq);
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

caf::typed_response_promise<std::vector<session_summary>> on_list(registry_self self,
                                                                  session_ref& caller) {
  auto rp = self->make_response_promise<std::vector<session_summary>>();
  pg_batch b;
  b.statements.push_back(list_sessions(caller.user_id, max_listed_sessions));
  self->request(self->state.d->pg, store_wait(self), std::move(b))
      .then([rp](std::vector<pg_result>& rs) mutable { rp.deliver(read_sessions(rs.at(0))); },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

caf::typed_response_promise<bool> on_delete(registry_self self, session_ref& caller,
                                            std::string& id) {
  auto rp = self->make_response_promise<bool>();
  pg_batch b;
  b.statements.push_back(delete_session(id, caller.user_id));
  self->request(self->state.d->pg, store_wait(self), std::move(b))
      .then(
          [self, rp, id](std::vector<pg_result>& rs) mutable {
            if (rs.at(0).affected == 0) {
              rp.deliver(not_found());
              return;
            }
            // The local actor's cache is stale now: let it go. Other nodes'
            // actors find the row gone at their next commit (404).
            auto& live = self->state.live;
            if (auto i = live.find(id); i != live.end()) {
              self->send(i->second.actor, cv_stop_atom_v);
              live.erase(i);
            }
            rp.deliver(true);
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

conversation_actor::behavior_type registry_behavior(registry_self self,
                                                    std::shared_ptr<const session_deps> d) {
  self->state.d = std::move(d);
  return {
      [self](chat_request& r) {
        session_actor transient;
        const auto& target = activate(self, r.session_id, transient);
        return self->delegate(target, std::move(r));
      },
      [self](cv_list_atom, session_ref& caller) { return on_list(self, caller); },
      [self](cv_msgs_atom, session_ref& caller, std::string& id, uint32_t limit,
             std::string& before) { return on_messages(self, caller, id, limit, before); },
      [self](cv_del_atom, session_ref& caller, std::string& id) {
        return on_delete(self, caller, id);
      },
      [self](cv_gone_atom, std::string& id, uint64_t incarnation) {
        auto& live = self->state.live;
        auto i = live.find(id);
        if (i != live.end() && i->second.incarnation == incarnation)
          live.erase(i);
        // Every request routed to the sender is already in its mailbox.
        self->send(caf::actor_cast<session_actor>(self->current_sender()), cv_stop_atom_v);
      },
      [self](cv_stats_atom) { return static_cast<uint64_t>(self->state.live.size()); },
  };
}

} // namespace

conversation_actor spawn_registry(caf::actor_system& sys, std::shared_ptr<const session_deps> d) {
  return sys.spawn(registry_behavior, std::move(d));
}

const conversation_actor& shard_of(const std::vector<conversation_actor>& shards,
                                   const std::string& session_id) {
  return shards[std::hash<std::string>{}(session_id) % shards.size()];
}

} // namespace haven::sessions
