#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/crisis/resources.hpp"
#include "actors/crisis/trajectory.hpp"
#include "actors/crisis/types.hpp"
#include "messages/safety.hpp"

// Pure rules of the crisis endpoints (API.md section 4), kept apart from the
// actor so they are unit-tested alone: which events a listing asks for, in
// what order counselors see them, when a detect call stores a new event, and
// the shape of the detect answer.

namespace haven::crisis {

/// GET /v1/crisis/events?status=…: "open" (also when absent or empty),
/// "acknowledged" or "all"; anything else is nullopt (422).
std::optional<std::string> parse_status_filter(std::optional<std::string_view> raw);

/// Severity rank for the counselor's list: critical 0, high 1, anything else 2.
int severity_rank(std::string_view risk_level);

/// The list order: severity first (critical before high), then the longest
/// waiting first (oldest created_at), then id for a stable order.
bool listed_before(const crisis_event_view& a, const crisis_event_view& b);

/// Sorts `events` with listed_before (the SQL orders the same way already;
/// this keeps the rule in one tested place).
void sort_for_counselors(std::vector<crisis_event_view>& events);

/// What one detect call reports and whether it stores a new event.
struct escalation_plan {
  risk_level level = risk_level::none;
  double score = 0;
  bool escalate = false;  // the answer's `escalate`: level high or critical
  bool store_new = false; // store an event (else reuse the session's, if any)
};

/// Without a session: every high/critical message stores an event. With a
/// session (`step`): the trajectory's level is reported; a new event is stored
/// on each rise (`step->escalate`), or when the session has no event on this
/// node yet (`have_session_event` false: e.g. the earlier store failed), so
/// an escalated answer always names an event.
escalation_plan plan_escalation(const assessment& a, const trajectory_step* step,
                                bool have_session_event);

/// Resources shown with an answer: for `level` >= low or a concern for
/// someone else; none for a calm message.
bool wants_resources(risk_level level, const assessment& a);

/// The `locale` reported for a resource: its tag matching `requested` (exact,
/// then same language), else its first tag; `*` entries report the requested
/// locale (lower-cased; "en" when empty): they serve every locale.
std::string resource_locale(const resource& r, std::string_view requested);

/// The API answer (event_id empty: null until an event is stored). Only the
/// signals that count (`mod == none`) are listed.
crisis_detect_result make_detect_result(const assessment& a, const escalation_plan& plan,
                                        const std::vector<const resource*>& resources,
                                        std::string_view locale);

/// The phone numbers of `set` for the moderation PII allowlist: each number of
/// a "999 / 112" field, and for Kenyan +254 numbers also the 0-prefixed form.
std::vector<std::string> resource_phones(const resource_set& set);

} // namespace haven::crisis
