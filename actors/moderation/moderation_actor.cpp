#include "actors/moderation/moderation_actor.hpp"

#include <caf/all.hpp>

#include "actors/moderation/queue_rules.hpp"
#include "base/json/json_writer.hpp"
#include "base/log/log.hpp"
#include "config/store_wait.hpp"
#include "messages/errors.hpp"
#include "persistence/outbox/event.hpp"

namespace haven::moderation {

namespace {

struct moderation_state {
  moderation_deps d;
  static inline const char* name = "moderation";
};

using moderation_self = moderation_actor::stateful_pointer<moderation_state>;

constexpr const char* max_listed = "500";

// The columns of moderation_item_view, in item_from_row's order.
const char* const item_columns =
    "m.id::text, m.user_id::text, m.direction, m.categories::text, m.action, "
    "to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), m.status";

std::chrono::milliseconds store_timeout(moderation_self self) {
  return config::store_wait(*self->state.d.cfg);
}

const std::string& text_at(const std::vector<pg_value>& row, size_t i) {
  static const std::string empty;
  return i < row.size() && !row[i].is_null ? row[i].text : empty;
}

moderation_item_view item_from_row(const std::vector<pg_value>& row) {
  return {text_at(row, 0), text_at(row, 1), text_at(row, 2), parse_categories(text_at(row, 3)),
          text_at(row, 4), text_at(row, 5), text_at(row, 6)};
}

template <class T, class F>
void run_sql(moderation_self self, caf::typed_response_promise<T> rp, pg_batch b, F on_rows) {
  self->request(self->state.d.pg, store_timeout(self), std::move(b))
      .then(std::move(on_rows), [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

// moderation.flagged data (API.md section 9): never the text.
std::string flagged_data(const std::string& id, const moderation_request& r,
                         const moderation_result& res, const std::string& cats) {
  json::writer w;
  w.begin_object()
      .field("item_id", id)
      .field("user_id", r.caller.user_id)
      .field("direction", r.direction)
      .field("action", res.action)
      .key("categories")
      .raw(cats);
  return std::move(w.end_object()).str();
}

caf::typed_response_promise<moderation_result> on_validate(moderation_self self,
                                                           moderation_request& r) {
  auto rp = self->make_response_promise<moderation_result>();
  auto& st = self->state;
  auto dir = direction_from_string(r.direction).value_or(direction::input);
  auto v = st.d.mod->validate(r.text, dir, {});
  auto res = make_result(v);
  st.d.metrics->validations.fetch_add(1, std::memory_order_relaxed);
  if (v.act == action::block)
    st.d.metrics->moderation_blocked.fetch_add(1, std::memory_order_relaxed);
  if (!v.flagged) {
    rp.deliver(std::move(res));
    return rp;
  }
  // Queued before the answer (ARCHITECTURE.md rule 5); the item holds no text.
  auto& cfg = *st.d.cfg;
  auto id = outbox::new_event_id();
  auto cats = categories_json(res.categories);
  pg_batch b;
  b.transaction = true;
  b.statements.push_back(
      {"INSERT INTO moderation_items (id, org_id, user_id, direction, categories, action) "
       "VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::jsonb, $6)",
       {pg_value::of(id), pg_value::nullable(r.caller.org_id), pg_value::of(r.caller.user_id),
        pg_value::of(r.direction), pg_value::of(cats), pg_value::of(res.action)}});
  b.statements.push_back(outbox::event_statement(cfg, "moderation.flagged",
                                                 flagged_data(id, r, res, cats), r.caller.org_id,
                                                 r.caller.request_id, id));
  self->request(st.d.pg, store_timeout(self), std::move(b))
      .then(
          [self, rp, res, id](std::vector<pg_result>&) mutable {
            self->state.d.metrics->moderation_flagged.fetch_add(1, std::memory_order_relaxed);
            caf::anon_send(self->state.d.outbox, outbox_atom_v);
            log::info("moderation item queued", {{"item_id", id}, {"action", res.action}});
            rp.deliver(std::move(res));
          },
          [self, rp](caf::error& err) mutable {
            log::warn("moderation item NOT queued", {{"reason", self->system().render(err)}});
            rp.deliver(make_retry_error(errc::dependency_unavailable,
                                        "the review queue cannot be written now", 1));
          });
  return rp;
}

caf::typed_response_promise<std::vector<moderation_item_view>>
on_queue(moderation_self self, session_ref& caller, std::string& status) {
  auto rp = self->make_response_promise<std::vector<moderation_item_view>>();
  pg_batch b;
  // A queue: the longest waiting first.
  b.statements.push_back(
      {std::string{"SELECT "} + item_columns +
           " FROM moderation_items m WHERE m.org_id = $1::uuid AND ($2 = 'all' OR m.status = $2) "
           "ORDER BY m.created_at, m.id LIMIT " +
           max_listed,
       {pg_value::of(caller.org_id), pg_value::of(status)}});
  run_sql(self, rp, std::move(b), [rp](std::vector<pg_result>& res) mutable {
    std::vector<moderation_item_view> out;
    if (!res.empty())
      for (auto& row : res[0].rows)
        out.push_back(item_from_row(row));
    rp.deliver(std::move(out));
  });
  return rp;
}

caf::typed_response_promise<moderation_item_view>
on_resolve(moderation_self self, session_ref& caller, std::string& id, std::string& decision) {
  auto rp = self->make_response_promise<moderation_item_view>();
  auto status = status_for_decision(decision);
  if (!status) {
    rp.deliver(
        make_validation_error("decision: must be approve or remove", {{"decision", "invalid"}}));
    return rp;
  }
  // Only the caller's organization's items; the first decision wins; the
  // role is re-checked in PostgreSQL (a token keeps an old role up to its TTL).
  const char* allowed = "EXISTS (SELECT 1 FROM users u WHERE u.id = $3::uuid "
                        "AND u.org_id = $2::uuid AND u.role IN ('counselor', 'admin'))";
  pg_batch b;
  b.transaction = true;
  b.statements.push_back(
      {std::string{"UPDATE moderation_items SET status = $4, resolved_by = $3::uuid, "
                   "resolved_at = now() WHERE id = $1::uuid AND org_id = $2::uuid "
                   "AND status = 'pending' AND "} +
           allowed,
       {pg_value::of(id), pg_value::of(caller.org_id), pg_value::of(caller.user_id),
        pg_value::of(*status)}});
  b.statements.push_back(
      {std::string{"SELECT "} + item_columns + ", " + allowed +
           " FROM moderation_items m WHERE m.id = $1::uuid AND m.org_id = $2::uuid",
       {pg_value::of(id), pg_value::of(caller.org_id), pg_value::of(caller.user_id)}});
  run_sql(self, rp, std::move(b), [rp](std::vector<pg_result>& res) mutable {
    if (res.size() < 2 || res[1].rows.empty()) {
      rp.deliver(make_error(errc::not_found, "no such moderation item"));
      return;
    }
    auto& row = res[1].rows[0];
    if (text_at(row, 7) != "t") {
      rp.deliver(make_error(errc::forbidden, "counselor or admin role required"));
      return;
    }
    rp.deliver(item_from_row(row));
  });
  return rp;
}

moderation_actor::behavior_type moderation_behavior(moderation_self self, moderation_deps d) {
  self->state.d = std::move(d);
  return {
      [self](moderation_request& r) { return on_validate(self, r); },
      [self](mod_queue_atom, session_ref& c, std::string& status) {
        return on_queue(self, c, status);
      },
      [self](mod_solve_atom, session_ref& c, std::string& id, std::string& decision) {
        return on_resolve(self, c, id, decision);
      },
  };
}

} // namespace

moderation_actor spawn_moderation_actor(caf::actor_system& sys, moderation_deps deps) {
  return sys.spawn(moderation_behavior, std::move(deps));
}

} // namespace haven::moderation
