#include "actors/crisis/crisis_actor.hpp"

#include <caf/all.hpp>

#include "actors/crisis/crisis_state.hpp"
#include "actors/crisis/event_rules.hpp"
#include "actors/crisis/scorer.hpp"
#include "io/json/json_writer.hpp"
#include "io/log/log.hpp"
#include "messages/errors.hpp"
#include "persistence/outbox/event.hpp"

namespace haven::crisis {

namespace {

constexpr size_t max_session_events = 100'000;

// crisis.detected data (API.md section 9): who and how severe, never the text.
std::string detected_data(const std::string& event_id, const crisis_detect_request& r,
                          const crisis_detect_result& res) {
  json::writer w;
  w.begin_object().field("event_id", event_id).field("user_id", r.caller.user_id);
  w.key("session_id");
  r.session_id.empty() ? w.null() : w.value(r.session_id);
  w.field("risk_level", res.risk_level).field("score", res.score);
  return std::move(w.end_object()).str();
}

pg_value opt(const std::string& s) {
  return s.empty() ? pg_value::null() : pg_value::of(s);
}

// The event row and its crisis.detected outbox row, in one transaction
// (ARCHITECTURE.md rule 5).
pg_batch escalation_batch(crisis_self self, const std::string& id, const crisis_detect_request& r,
                          const crisis_detect_result& res) {
  auto& cfg = *self->state.d.cfg;
  pg_batch b;
  b.transaction = true;
  b.statements.push_back(
      {"INSERT INTO crisis_events (id, org_id, user_id, session_id, risk_level, score) "
       "VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::double precision)",
       {pg_value::of(id), opt(r.caller.org_id), pg_value::of(r.caller.user_id), opt(r.session_id),
        pg_value::of(res.risk_level), pg_value::of(std::to_string(res.score))}});
  auto e = outbox::make_event("crisis.detected", cfg.node_id, detected_data(id, r, res),
                              r.caller.org_id, r.caller.request_id);
  b.statements.push_back(
      outbox::outbox_insert(e, outbox::event_subject(cfg.nats_prefix, e.type), id));
  return b;
}

void remember(crisis_self self, const std::string& key, const std::string& event_id) {
  auto& m = self->state.session_events;
  if (m.size() >= max_session_events && m.count(key) == 0)
    m.clear(); // rare; the cost is one extra event per held session
  m[key] = event_id;
}

caf::typed_response_promise<crisis_detect_result> on_detect(crisis_self self,
                                                            crisis_detect_request& r) {
  auto rp = self->make_response_promise<crisis_detect_result>();
  auto& st = self->state;
  auto a = score(*st.d.lexicons, r.text, r.locale);
  trajectory_step step;
  const trajectory_step* stepp = nullptr;
  std::string key;
  if (!r.session_id.empty()) {
    key = shard_key(r.caller.user_id, r.session_id);
    step = st.sessions.observe(key, a, trajectory::clock::now());
    stepp = &step;
  }
  auto known = key.empty() ? st.session_events.end() : st.session_events.find(key);
  auto plan = plan_escalation(a, stepp, known != st.session_events.end());
  auto res = make_detect_result(a, plan, resources_for(*st.d.resources, r.locale), r.locale);
  st.d.metrics->detections.fetch_add(1, std::memory_order_relaxed);
  if (!plan.escalate) {
    rp.deliver(std::move(res));
    return rp;
  }
  if (!plan.store_new) {
    res.event_id = known->second;
    rp.deliver(std::move(res));
    return rp;
  }
  auto id = outbox::new_event_id();
  auto batch = escalation_batch(self, id, r, res);
  auto user_id = r.caller.user_id;
  auto request_id = r.caller.request_id;
  self->request(st.d.pg, store_timeout(self), std::move(batch))
      .then(
          [self, rp, res, id, key](std::vector<pg_result>&) mutable {
            res.event_id = id;
            if (!key.empty())
              remember(self, key, id);
            self->state.d.metrics->escalations.fetch_add(1, std::memory_order_relaxed);
            caf::anon_send(self->state.d.outbox, outbox_atom_v);
            log::info("crisis escalation stored",
                      {{"event_id", id}, {"risk_level", res.risk_level}});
            rp.deliver(std::move(res));
          },
          [self, rp, user_id, request_id](caf::error& err) mutable {
            // Never answered as stored: the client retries, and a retry of the
            // same session stores (no event is remembered for it).
            self->state.d.metrics->escalation_failures.fetch_add(1, std::memory_order_relaxed);
            log::error("crisis escalation NOT stored", {{"user_id", user_id},
                                                        {"request_id", request_id},
                                                        {"reason", self->system().render(err)}});
            rp.deliver(make_retry_error(errc::dependency_unavailable,
                                        "crisis events cannot be stored now", 1));
          });
  return rp;
}

crisis_actor::behavior_type crisis_behavior(crisis_self self, crisis_deps d) {
  self->state.d = std::move(d);
  return {
      [self](crisis_detect_request& r) { return on_detect(self, r); },
      [self](cr_events_atom, session_ref& c, std::string& status) {
        return on_list_events(self, c, status);
      },
      [self](cr_ack_atom, session_ref& c, std::string& id, std::string& note) {
        return on_ack_event(self, c, id, note);
      },
  };
}

} // namespace

std::chrono::milliseconds store_timeout(crisis_self self) {
  return std::chrono::milliseconds(self->state.d.cfg->store_timeout_ms + 1000);
}

std::string shard_key(const std::string& user_id, const std::string& session_id) {
  return user_id + '\n' + session_id;
}

crisis_actor spawn_crisis_actor(caf::actor_system& sys, crisis_deps deps) {
  return sys.spawn(crisis_behavior, std::move(deps));
}

} // namespace haven::crisis
