// GET /v1/crisis/events and POST /v1/crisis/events/{id}/ack (API.md section
// 4). The edge checked the caller's role and organization from the token; the
// ack re-checks the role in PostgreSQL (a token keeps an old role up to its TTL).
#include <caf/all.hpp>

#include "actors/crisis/crisis_state.hpp"
#include "actors/crisis/event_rules.hpp"
#include "messages/errors.hpp"

namespace haven::crisis {

namespace {

constexpr const char* max_listed = "500";

// The columns of crisis_event_view, in event_from_row's order.
const char* const event_columns =
    "e.id::text, e.user_id::text, e.session_id, e.risk_level, e.score::text, "
    "to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), e.status, "
    "e.acknowledged_by::text";

const std::string& text_at(const std::vector<pg_value>& row, size_t i) {
  static const std::string empty;
  return i < row.size() && !row[i].is_null ? row[i].text : empty;
}

crisis_event_view event_from_row(const std::vector<pg_value>& row) {
  crisis_event_view v;
  v.id = text_at(row, 0);
  v.user_id = text_at(row, 1);
  v.session_id = text_at(row, 2);
  v.risk_level = text_at(row, 3);
  v.score = std::strtod(text_at(row, 4).c_str(), nullptr);
  v.created_at = text_at(row, 5);
  v.status = text_at(row, 6);
  v.acknowledged_by = text_at(row, 7);
  return v;
}

template <class T, class F>
void run_sql(crisis_self self, caf::typed_response_promise<T> rp, pg_batch b, F on_rows) {
  self->request(self->state.d.pg, store_timeout(self), std::move(b))
      .then(std::move(on_rows), [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

} // namespace

caf::typed_response_promise<std::vector<crisis_event_view>>
on_list_events(crisis_self self, session_ref& caller, std::string& status) {
  auto rp = self->make_response_promise<std::vector<crisis_event_view>>();
  pg_batch b;
  // Severity first, then the longest waiting (event_rules.hpp listed_before).
  b.statements.push_back(
      {std::string{"SELECT "} + event_columns +
           " FROM crisis_events e WHERE e.org_id = $1::uuid AND ($2 = 'all' OR e.status = $2) "
           "ORDER BY CASE e.risk_level WHEN 'critical' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, "
           "e.created_at, e.id LIMIT " +
           max_listed,
       {pg_value::of(caller.org_id), pg_value::of(status)}});
  run_sql(self, rp, std::move(b), [rp](std::vector<pg_result>& res) mutable {
    std::vector<crisis_event_view> out;
    if (!res.empty())
      for (auto& row : res[0].rows)
        out.push_back(event_from_row(row));
    sort_for_counselors(out);
    rp.deliver(std::move(out));
  });
  return rp;
}

caf::typed_response_promise<crisis_event_view> on_ack_event(crisis_self self, session_ref& caller,
                                                            std::string& id, std::string& note) {
  auto rp = self->make_response_promise<crisis_event_view>();
  // Both statements see only the caller's organization: another org's event
  // is "not found". An event already acknowledged keeps its first ack.
  const char* allowed = "EXISTS (SELECT 1 FROM users u WHERE u.id = $3::uuid "
                        "AND u.org_id = $2::uuid AND u.role IN ('counselor', 'admin'))";
  pg_batch b;
  b.transaction = true;
  b.statements.push_back(
      {std::string{"UPDATE crisis_events SET status = 'acknowledged', acknowledged_by = $3::uuid, "
                   "acknowledged_at = now(), note = $4 "
                   "WHERE id = $1::uuid AND org_id = $2::uuid AND status = 'open' AND "} +
           allowed,
       {pg_value::of(id), pg_value::of(caller.org_id), pg_value::of(caller.user_id),
        note.empty() ? pg_value::null() : pg_value::of(note)}});
  b.statements.push_back(
      {std::string{"SELECT "} + event_columns + ", " + allowed +
           " FROM crisis_events e WHERE e.id = $1::uuid AND e.org_id = $2::uuid",
       {pg_value::of(id), pg_value::of(caller.org_id), pg_value::of(caller.user_id)}});
  run_sql(self, rp, std::move(b), [rp](std::vector<pg_result>& res) mutable {
    if (res.size() < 2 || res[1].rows.empty()) {
      rp.deliver(make_error(errc::not_found, "no such crisis event"));
      return;
    }
    auto& row = res[1].rows[0];
    if (text_at(row, 8) != "t") {
      rp.deliver(make_error(errc::forbidden, "counselor or admin role required"));
      return;
    }
    rp.deliver(event_from_row(row));
  });
  return rp;
}

} // namespace haven::crisis
