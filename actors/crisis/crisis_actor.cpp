#include "actors/crisis/crisis_actor.hpp"

#include <caf/all.hpp>

#include "actors/crisis/crisis_state.hpp"
#include "actors/crisis/event_rules.hpp"
#include "actors/crisis/scorer.hpp"
#include "actors/crisis/session_sync.hpp"
#include "actors/crisis/trajectory_codec.hpp"
#include "base/json/json_writer.hpp"
#include "base/log/log.hpp"
#include "config/store_wait.hpp"
#include "messages/errors.hpp"
#include "persistence/outbox/event.hpp"
#include "persistence/redis/redis_client.hpp"

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
  if (res.other_person) // the writer reports someone else at risk now
    w.field("other_person", true);
  return std::move(w.end_object()).str();
}

// The event row and its crisis.detected outbox row, in one transaction
// (ARCHITECTURE.md rule 5).
pg_batch escalation_batch(crisis_self self, const std::string& id, const crisis_detect_request& r,
                          const crisis_detect_result& res) {
  auto& cfg = *self->state.d.cfg;
  pg_batch b;
  b.transaction = true;
  b.statements.push_back(
      {"INSERT INTO crisis_events (id, org_id, user_id, session_id, risk_level, score, "
       "other_person) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::double precision, "
       "$7::boolean)",
       {pg_value::of(id), pg_value::nullable(r.caller.org_id), pg_value::of(r.caller.user_id),
        pg_value::nullable(r.session_id), pg_value::of(res.risk_level),
        pg_value::of(std::to_string(res.score)),
        pg_value::of(res.other_person ? "true" : "false")}});
  b.statements.push_back(outbox::event_statement(cfg, "crisis.detected", detected_data(id, r, res),
                                                 r.caller.org_id, r.caller.request_id, id));
  return b;
}

void remember(crisis_self self, const std::string& key, const std::string& event_id) {
  auto& m = self->state.session_events;
  if (m.size() >= max_session_events && m.count(key) == 0)
    m.clear(); // rare; the cost is one extra event per held session
  m[key] = event_id;
}

using detect_promise = caf::typed_response_promise<crisis_detect_result>;

// At most this many compare-and-set calls per message (a conflict means
// another node wrote the session in between: rare, see session_sync.hpp).
constexpr int max_session_attempts = 3;

// One detect call with a session, carried through the Redis round trips.
struct detect_job {
  crisis_detect_request r;
  assessment a;
  std::string key;  // shard_key(): the node-local copy and event
  std::string rkey; // the Redis key (session_sync.hpp)
  trajectory::clock::time_point now;
  std::chrono::steady_clock::time_point deadline; // Redis waits end here
  int attempts = 0;
};
using job_ptr = std::shared_ptr<detect_job>;

std::string ttl_ms(const crisis_state& st) {
  using namespace std::chrono;
  return std::to_string(duration_cast<milliseconds>(trajectory_horizon(st.trajectories)).count());
}

// The session's event known on this node (empty: none).
std::string local_event(const crisis_state& st, const std::string& key) {
  auto it = key.empty() ? st.session_events.end() : st.session_events.find(key);
  return it == st.session_events.end() ? std::string{} : it->second;
}

// Sets (`id`) or forgets (empty `id`) the session's event in Redis, then calls
// `done`, also when Redis is unavailable. Other nodes answer a held session
// with the event set here; the answer waits so the client's next message,
// wherever it lands, sees it.
template <class F>
void share_event(crisis_self self, const std::string& rkey, const std::string& id, F done) {
  auto& st = self->state;
  std::vector<redis_command> cmds;
  if (id.empty())
    cmds.push_back({{"HDEL", rkey, "e"}});
  else
    cmds = {{{"HSET", rkey, "e", id}}, {{"PEXPIRE", rkey, ttl_ms(st)}}};
  self->request(st.d.redis, std::chrono::milliseconds(st.d.cfg->store_timeout_ms), std::move(cmds))
      .then([done](std::vector<redis_reply>&) mutable { done(); },
            [done](caf::error&) mutable { done(); });
}

// The answer, once the session's step (if any) and its known event are
// settled: stores an escalation first when the plan says so.
void answer(crisis_self self, detect_promise rp, const crisis_detect_request& r,
            const assessment& a, const std::string& key, const trajectory_step* stepp,
            const std::string& known_event, const std::string& rkey) {
  auto& st = self->state;
  auto plan = plan_escalation(a, stepp, !known_event.empty());
  auto res = make_detect_result(a, plan, resources_for(*st.d.resources, r.locale), r.locale);
  st.d.metrics->detections.fetch_add(1, std::memory_order_relaxed);
  if (!plan.escalate) {
    rp.deliver(std::move(res));
    return;
  }
  if (!plan.store_new) {
    res.event_id = known_event;
    rp.deliver(std::move(res));
    return;
  }
  auto id = outbox::new_event_id();
  auto batch = escalation_batch(self, id, r, res);
  auto user_id = r.caller.user_id;
  auto request_id = r.caller.request_id;
  self->request(st.d.pg, store_timeout(self), std::move(batch))
      .then(
          [self, rp, res, id, key, rkey](std::vector<pg_result>&) mutable {
            res.event_id = id;
            if (!key.empty())
              remember(self, key, id);
            self->state.d.metrics->escalations.fetch_add(1, std::memory_order_relaxed);
            caf::anon_send(self->state.d.outbox, outbox_atom_v);
            log::info("crisis escalation stored",
                      {{"event_id", id}, {"risk_level", res.risk_level}});
            if (rkey.empty()) {
              rp.deliver(std::move(res));
              return;
            }
            share_event(self, rkey, id, [rp, res]() mutable { rp.deliver(std::move(res)); });
          },
          [self, rp, key, rkey, user_id, request_id](caf::error& err) mutable {
            // Never answered as stored: the client retries, and a retry of the
            // same session stores, because its earlier event (of a lower level,
            // if any) is forgotten here rather than answered again.
            self->state.d.metrics->escalation_failures.fetch_add(1, std::memory_order_relaxed);
            // No user id beside it (audit L14): the request id finds the
            // request in the access log without tying health data to a
            // person in the log.
            log::error("crisis escalation NOT stored",
                       {{"request_id", request_id}, {"reason", self->system().render(err)}});
            auto fail = [rp]() mutable {
              rp.deliver(make_retry_error(errc::dependency_unavailable,
                                          "crisis events cannot be stored now", 1));
            };
            if (!key.empty())
              self->state.session_events.erase(key);
            if (rkey.empty())
              return fail();
            share_event(self, rkey, {}, fail);
          });
}

// Redis unavailable (or the attempts used up): `next` (the message applied to
// the best trajectory this node has) becomes the node's copy and the answer.
void answer_locally(crisis_self self, detect_promise rp, const job_ptr& job, trajectory next,
                    const trajectory_step& step) {
  auto& st = self->state;
  st.d.metrics->session_fallbacks.fetch_add(1, std::memory_order_relaxed);
  st.sessions.put(job->key, std::move(next), job->now);
  answer(self, rp, job->r, job->a, job->key, &step, local_event(st, job->key), {});
}

// Applies the message to `base` and writes the result to Redis if Redis
// still holds `expected` ("" = nothing); on a conflict, again on what Redis holds.
void sync_session(crisis_self self, detect_promise rp, job_ptr job, trajectory base,
                  std::string expected) {
  auto& st = self->state;
  trajectory next = std::move(base);
  auto step = next.observe(job->a, job->now);
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      job->deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0 || ++job->attempts > max_session_attempts)
    return answer_locally(self, rp, job, std::move(next), step);
  redis_script_call call{std::string{session_script_name},
                         {job->rkey},
                         {std::move(expected), encode_trajectory(next.snapshot()), ttl_ms(st)}};
  self->request(st.d.redis, left, std::move(call))
      .then(
          [self, rp, job, next, step](redis_reply& reply) mutable {
            auto& st = self->state;
            auto c = read_cas_reply(reply);
            if (c.kind == cas_reply::written) {
              // Redis's event is the cluster's: the node's copy follows it (an
              // event forgotten after a failed store must stay forgotten).
              st.sessions.put(job->key, std::move(next), job->now);
              if (c.event_id.empty())
                st.session_events.erase(job->key);
              else
                remember(self, job->key, c.event_id);
              answer(self, rp, job->r, job->a, job->key, &step, c.event_id, job->rkey);
            } else if (c.kind == cas_reply::conflict) {
              auto base =
                  base_trajectory(c.current, st.sessions.find(job->key, job->now), st.trajectories);
              sync_session(self, rp, job, std::move(base), std::move(c.current));
            } else {
              answer_locally(self, rp, job, std::move(next), step);
            }
          },
          [self, rp, job, next, step](caf::error&) mutable {
            answer_locally(self, rp, job, std::move(next), step);
          });
}

detect_promise on_detect(crisis_self self, crisis_detect_request& r) {
  auto rp = self->make_response_promise<crisis_detect_result>();
  auto& st = self->state;
  auto a = score(*st.d.lexicons, r.text, r.locale);
  if (r.session_id.empty()) { // the hot path: no trajectory, no Redis
    answer(self, rp, r, a, {}, nullptr, {}, {});
    return rp;
  }
  // Milliseconds: what the stored form keeps, so every node reads the same.
  auto now = std::chrono::floor<std::chrono::milliseconds>(trajectory::clock::now());
  auto key = shard_key(r.caller.user_id, r.session_id);
  auto rkey = st.d.redis ? session_key(r.caller.user_id, r.session_id) : std::string{};
  if (rkey.empty()) { // node-local trajectories only
    auto step = st.sessions.observe(key, a, now);
    answer(self, rp, r, a, key, &step, local_event(st, key), {});
    return rp;
  }
  const trajectory* local = st.sessions.find(key, now);
  auto expected = local != nullptr ? encode_trajectory(local->snapshot()) : std::string{};
  auto base = local != nullptr ? *local : trajectory{st.trajectories};
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(st.d.cfg->store_timeout_ms);
  auto job = std::make_shared<detect_job>(
      detect_job{std::move(r), std::move(a), std::move(key), std::move(rkey), now, deadline, 0});
  sync_session(self, rp, std::move(job), std::move(base), std::move(expected));
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
  return config::store_wait(*self->state.d.cfg);
}

std::string shard_key(const std::string& user_id, const std::string& session_id) {
  return user_id + '\n' + session_id;
}

const crisis_actor& shard_for(const std::vector<crisis_actor>& shards, const std::string& user_id,
                              const std::string& session_id) {
  return shards[std::hash<std::string>{}(shard_key(user_id, session_id)) % shards.size()];
}

crisis_actor spawn_crisis_actor(caf::actor_system& sys, crisis_deps deps) {
  return sys.spawn(crisis_behavior, std::move(deps));
}

void register_session_script(const redis_actor& redis) {
  register_script(redis, std::string{session_script_name}, std::string{session_script_source});
}

} // namespace haven::crisis
