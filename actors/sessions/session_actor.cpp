#include "actors/sessions/session_actor.hpp"

#include <functional>

#include <caf/all.hpp>

#include "actors/auth/user_handles.hpp"
#include "actors/crisis/crisis_actor.hpp"
#include "actors/sessions/reply_rules.hpp"
#include "actors/sessions/sessions_sql.hpp"
#include "base/log/log.hpp"
#include "messages/errors.hpp"

namespace haven::sessions {

namespace {

// What a blocked input is stored as: the text itself is not kept (it may be
// content nobody should store, e.g. sexual_minors); the reply is.
constexpr const char* blocked_placeholder = "[message removed by moderation]";

// One turn on its way through the pipeline. Text lives here only while the
// turn runs.
struct turn {
  chat_request r;
  caf::typed_response_promise<chat_result> rp;
  moderation_result mod;
  crisis_detect_result crisis;
  int level = 0;
  std::string reply, source;
  std::string user_message_id, reply_message_id;
  uint64_t number = 0;
  bool waiting_provider = false;
  int attempts = 0;
};
using turn_ptr = std::shared_ptr<turn>;

struct session_state {
  std::shared_ptr<const session_deps> d;
  conversation_actor registry;
  std::string id, user_id;
  int64_t version = 0;
  uint64_t incarnation = 0;
  uint64_t turns = 0;   // committed by this actor: rotates the fallback variants
  uint64_t started = 0; // turns begun
  uint64_t idle_gen = 0;
  std::vector<turn_ptr> queue; // waiting turns, oldest first (empty: no allocation)
  turn_ptr current;
  bool loaded = false;
  bool in_store = false; // the session row exists (else the next commit inserts it)
  bool transient = false;
  bool gone_sent = false;
  bool stopping = false;
  static inline const char* name = "haven.session";
};

using session_self = session_actor::stateful_pointer<session_state>;

std::chrono::milliseconds store_wait(session_self self) {
  return std::chrono::milliseconds(self->state.d->cfg->store_timeout_ms + 1000);
}

void pump(session_self self);

bool idle(session_self self) {
  return !self->state.current && self->state.queue.empty();
}

void arm_idle(session_self self) {
  auto& st = self->state;
  if (st.gone_sent)
    return; // the registry's cv_stop is on its way
  self->delayed_send(self, st.d->idle, cv_idle_atom_v, ++st.idle_gen);
}

// Asks the registry to forget this actor; it answers with cv_stop after every
// request it already routed here (FIFO between the two actors).
void leave(session_self self) {
  auto& st = self->state;
  if (st.transient)
    return self->quit();
  if (!st.gone_sent) {
    st.gone_sent = true;
    self->send(st.registry, cv_gone_atom_v, st.id, st.incarnation);
  }
}

void finish(session_self self) {
  auto& st = self->state;
  st.current = nullptr;
  if (!st.queue.empty())
    return pump(self);
  if (st.stopping)
    return self->quit();
  if (st.transient)
    return self->quit();
  if (!st.loaded && !st.in_store)
    return leave(self); // unknown or someone else's: do not hold it
  arm_idle(self);
}

void fail(session_self self, caf::error err) {
  auto t = self->state.current;
  t->rp.deliver(std::move(err));
  finish(self);
}

void commit(session_self self);
void moderate_output(session_self self);

// The answer of a committed turn.
chat_result result_of(const session_state& st, turn& t) {
  chat_result res;
  res.session_id = st.id;
  res.message_id = t.reply_message_id;
  res.reply_text = std::move(t.reply);
  res.reply_source = std::move(t.source);
  res.safety_action = t.mod.action;
  res.safety_categories = std::move(t.mod.categories);
  res.crisis = std::move(t.crisis);
  res.crisis.signals.clear(); // the chat answer carries the level, not the evidence
  return res;
}

void use_fallback(session_self self) {
  auto& st = self->state;
  auto& t = *st.current;
  t.reply = fallback_reply(*st.d->templates, t.r.locale, t.level, t.mod.action == "block", st.turns,
                           t.crisis.resources);
  t.source = "fallback";
  st.d->metrics->fallback_replies.fetch_add(1, std::memory_order_relaxed);
}

void on_provider(session_self self, uint64_t number, bool ok, std::string& text,
                 std::string& error) {
  auto& st = self->state;
  if (!st.current || st.current->number != number || !st.current->waiting_provider)
    return; // a late answer (the guard timer won) or a duplicate
  auto& t = *st.current;
  t.waiting_provider = false;
  if (ok && !text.empty()) {
    t.reply =
        with_resources(std::move(text), *st.d->templates, t.r.locale, t.level, t.crisis.resources);
    t.source = "provider";
    st.d->metrics->provider_replies.fetch_add(1, std::memory_order_relaxed);
  } else {
    st.d->metrics->provider_failures.fetch_add(1, std::memory_order_relaxed);
    log::debug("provider reply unavailable, fallback used", {{"reason", error}});
    use_fallback(self);
  }
  moderate_output(self);
}

void ask_provider(session_self self, std::vector<history_item> history) {
  auto& st = self->state;
  auto& t = *st.current;
  auto prompt = system_prompt(t.r.locale, t.level, t.crisis.resources);
  auto msgs = provider_messages(std::move(prompt), history, t.mod.text);
  t.waiting_provider = true;
  auto hdl = caf::actor_cast<session_actor>(self);
  auto number = t.number;
  // Backstop: the client promises to call back within its timeout; the turn
  // never waits much longer than that whatever happens.
  self->delayed_send(self, st.d->llm->timeout() + std::chrono::milliseconds(500), cv_llm_atom_v,
                     number, false, std::string{}, std::string{"timeout"});
  st.d->llm->complete(std::move(msgs), [hdl, number](provider_answer a) {
    caf::anon_send(hdl, cv_llm_atom_v, number, a.ok, std::move(a.text), std::move(a.error));
  });
}

// The provider sees the last few messages of the session, opened here and
// dropped when the turn ends.
void respond(session_self self) {
  auto& st = self->state;
  auto& t = *st.current;
  if (t.mod.action == "block" || !st.d->llm) {
    use_fallback(self);
    return moderate_output(self);
  }
  if (!st.in_store || st.d->history_messages == 0)
    return ask_provider(self, {});
  pg_batch b;
  b.statements.push_back(recent_messages(st.id, st.d->history_messages));
  self->request(st.d->pg, store_wait(self), std::move(b))
      .then(
          [self](std::vector<pg_result>& rs) {
            auto& st = self->state;
            std::vector<history_item> history;
            for (auto& m : read_messages(rs.at(0))) {
              auto text = st.d->keys->open(m.sealed, m.id, st.user_id);
              if (text)
                history.push_back({m.role, std::move(*text)});
            }
            ask_provider(self, std::move(history));
          },
          [self](caf::error&) { ask_provider(self, {}); }); // history is a nicety
}

void moderate_output(session_self self) {
  auto& st = self->state;
  auto& t = *st.current;
  const auto& mod = st.d->moderation[t.number % st.d->moderation.size()];
  self->request(mod, store_wait(self), moderation_request{t.r.caller, t.reply, "output"})
      .then(
          [self](moderation_result& out) {
            auto& st = self->state;
            auto& t = *st.current;
            if (out.action == "block")
              use_fallback(self); // never send a blocked reply; the templates are reviewed
            else if (out.action == "redact")
              t.reply = with_resources(std::move(out.text), *st.d->templates, t.r.locale, t.level,
                                       t.crisis.resources);
            commit(self);
          },
          [self](caf::error& err) { fail(self, std::move(err)); });
}

void reload_then_commit(session_self self) {
  auto& st = self->state;
  pg_batch b;
  b.statements.push_back(load_session(st.id));
  self->request(st.d->pg, store_wait(self), std::move(b))
      .then(
          [self](std::vector<pg_result>& rs) {
            auto& st = self->state;
            auto row = read_session(rs.at(0));
            if (!row || row->user_id != st.current->r.caller.user_id) {
              st.loaded = false;
              st.in_store = false;
              return fail(self, make_error(errc::not_found, "no such conversation session"));
            }
            st.version = row->version;
            commit(self);
          },
          [self](caf::error& err) { fail(self, std::move(err)); });
}

void commit(session_self self) {
  auto& st = self->state;
  auto& t = *st.current;
  if (t.user_message_id.empty()) {
    t.user_message_id = auth::new_uuid();
    t.reply_message_id = auth::new_uuid();
  }
  turn_rows rows;
  rows.session_id = st.id;
  rows.user_id = st.user_id;
  rows.user_message_id = t.user_message_id;
  rows.reply_message_id = t.reply_message_id;
  // What is stored is what moderation let through: the redacted text.
  const std::string& stored =
      t.mod.action == "block" ? std::string{blocked_placeholder} : t.mod.text;
  rows.user_text = st.d->keys->seal(stored, rows.user_message_id, st.user_id);
  rows.reply_text = st.d->keys->seal(t.reply, rows.reply_message_id, st.user_id);
  rows.risk = t.level;
  pg_batch b;
  b.statements.push_back(st.in_store ? commit_turn(rows, st.version) : commit_first_turn(rows));
  self->request(st.d->pg, store_wait(self), std::move(b))
      .then(
          [self](std::vector<pg_result>& rs) {
            auto& st = self->state;
            auto& t = *st.current;
            if (rs.at(0).affected == 2) {
              st.version = st.in_store ? st.version + 1 : 1;
              st.in_store = true;
              ++st.turns;
              st.d->metrics->turns.fetch_add(1, std::memory_order_relaxed);
              t.rp.deliver(result_of(st, t));
              return finish(self);
            }
            // Another node committed a turn of this session first (or the
            // session was deleted): reload and append after it.
            if (++t.attempts >= st.d->commit_attempts) {
              st.d->metrics->conflicts.fetch_add(1, std::memory_order_relaxed);
              return fail(self,
                          make_error(errc::conflict, "the session is busy on another node; retry"));
            }
            st.d->metrics->version_retries.fetch_add(1, std::memory_order_relaxed);
            reload_then_commit(self);
          },
          [self](caf::error& err) {
            if (err == make_error(errc::conflict)) // an id clash: never, but never a lie
              err = make_error(errc::internal);
            fail(self, std::move(err));
          });
}

void detect(session_self self) {
  auto& st = self->state;
  auto& t = *st.current;
  // The crisis family's shard for (user, session): the same trajectory and
  // node-local copy POST /v1/crisis/detect with this session_id uses.
  const auto& shard = crisis::shard_for(st.d->crisis, t.r.caller.user_id, st.id);
  crisis_detect_request req{t.r.caller, t.r.message, t.r.locale, st.id};
  self->request(shard, store_wait(self), std::move(req))
      .then(
          [self](crisis_detect_result& res) {
            auto& t = *self->state.current;
            t.level = level_rank(res.risk_level);
            t.crisis = std::move(res);
            respond(self);
          },
          [self](caf::error& err) { fail(self, std::move(err)); });
}

void moderate_input(session_self self) {
  auto& st = self->state;
  auto& t = *st.current;
  const auto& mod = st.d->moderation[t.number % st.d->moderation.size()];
  self->request(mod, store_wait(self), moderation_request{t.r.caller, t.r.message, "input"})
      .then(
          [self](moderation_result& res) {
            auto& st = self->state;
            if (res.action == "block")
              st.d->metrics->blocked_inputs.fetch_add(1, std::memory_order_relaxed);
            st.current->mod = std::move(res);
            detect(self);
          },
          [self](caf::error& err) { fail(self, std::move(err)); });
}

void begin(session_self self) {
  auto& st = self->state;
  auto& t = *st.current;
  if (t.r.is_new && !st.loaded) { // a session id the edge just made
    st.loaded = true;
    st.user_id = t.r.caller.user_id;
  }
  if (st.loaded) {
    if (st.user_id != t.r.caller.user_id)
      return fail(self, make_error(errc::not_found, "no such conversation session"));
    return moderate_input(self);
  }
  pg_batch b;
  b.statements.push_back(load_session(st.id));
  self->request(st.d->pg, store_wait(self), std::move(b))
      .then(
          [self](std::vector<pg_result>& rs) {
            auto& st = self->state;
            auto row = read_session(rs.at(0));
            if (!row || row->user_id != st.current->r.caller.user_id)
              return fail(self, make_error(errc::not_found, "no such conversation session"));
            st.loaded = true;
            st.in_store = true;
            st.user_id = row->user_id;
            st.version = row->version;
            moderate_input(self);
          },
          [self](caf::error& err) { fail(self, std::move(err)); });
}

void pump(session_self self) {
  auto& st = self->state;
  if (st.current || st.queue.empty())
    return;
  st.current = std::move(st.queue.front());
  st.queue.erase(st.queue.begin());
  st.current->number = ++st.started; // tells a late provider answer from the current one
  begin(self);
}

session_actor::behavior_type session_behavior(session_self self,
                                              std::shared_ptr<const session_deps> d,
                                              conversation_actor registry, std::string id,
                                              uint64_t incarnation, bool transient) {
  auto& st = self->state;
  st.d = std::move(d);
  st.registry = std::move(registry);
  st.id = std::move(id);
  st.incarnation = incarnation;
  st.transient = transient;
  auto metrics = st.d->metrics;
  metrics->active.fetch_add(1, std::memory_order_relaxed);
  metrics->activations.fetch_add(1, std::memory_order_relaxed);
  self->attach_functor([metrics] { metrics->active.fetch_sub(1, std::memory_order_relaxed); });
  // A session lives no longer than its registry shard: at shutdown the shards
  // exit and every idle session with them (else the actor system would wait
  // for their idle timers, and a session whose shard is gone never hears
  // cv_stop).
  if (st.registry) {
    self->monitor(st.registry);
    self->set_down_handler([self](caf::down_msg&) {
      self->state.stopping = true;
      if (idle(self))
        self->quit(caf::exit_reason::user_shutdown);
    });
  }
  return {
      [self](chat_request& r) {
        auto t = std::make_shared<turn>();
        t->r = std::move(r);
        t->rp = self->make_response_promise<chat_result>();
        auto rp = t->rp;
        self->state.queue.push_back(std::move(t));
        pump(self);
        return rp;
      },
      [self](cv_idle_atom, uint64_t gen) {
        auto& st = self->state;
        if (gen != st.idle_gen || !idle(self))
          return;
        st.d->metrics->passivations.fetch_add(1, std::memory_order_relaxed);
        leave(self);
      },
      [self](cv_stop_atom) {
        self->state.stopping = true;
        if (idle(self))
          self->quit();
      },
      [self](cv_llm_atom, uint64_t number, bool ok, std::string& text, std::string& error) {
        on_provider(self, number, ok, text, error);
      },
  };
}

} // namespace

session_actor spawn_session(caf::actor_system& sys, std::shared_ptr<const session_deps> deps,
                            conversation_actor registry, std::string session_id,
                            uint64_t incarnation, bool transient) {
  return sys.spawn(session_behavior, std::move(deps), std::move(registry), std::move(session_id),
                   incarnation, transient);
}

} // namespace haven::sessions
