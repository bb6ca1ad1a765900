#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "messages/auth.hpp"
#include "messages/type_ids.hpp"

// The safety family's messages (API.md section 4): the crisis actor
// (actors/crisis/crisis_actor.hpp) and the moderation actor
// (actors/moderation/moderation_actor.hpp). Register with
// cfg.add_message_types<caf::id_block::haven_safety>(). Callers are the
// edge's verified session_ref (messages/auth.hpp). Strings that are optional
// in the API are empty when absent. Message text travels only in the
// requests; nothing here or in the replies is ever logged.

namespace haven {
struct crisis_detect_request;
struct crisis_signal_view;
struct crisis_resource_view;
struct crisis_detect_result;
struct crisis_event_view;
struct moderation_request;
struct category_score;
struct moderation_result;
struct moderation_item_view;
} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven_safety, caf::first_custom_type_id + 500)
CAF_ADD_TYPE_ID(haven_safety, (haven::crisis_detect_request))
CAF_ADD_TYPE_ID(haven_safety, (haven::crisis_signal_view))
CAF_ADD_TYPE_ID(haven_safety, (std::vector<haven::crisis_signal_view>))
CAF_ADD_TYPE_ID(haven_safety, (haven::crisis_resource_view))
CAF_ADD_TYPE_ID(haven_safety, (std::vector<haven::crisis_resource_view>))
CAF_ADD_TYPE_ID(haven_safety, (haven::crisis_detect_result))
CAF_ADD_TYPE_ID(haven_safety, (haven::crisis_event_view))
CAF_ADD_TYPE_ID(haven_safety, (std::vector<haven::crisis_event_view>))
CAF_ADD_TYPE_ID(haven_safety, (haven::moderation_request))
CAF_ADD_TYPE_ID(haven_safety, (haven::category_score))
CAF_ADD_TYPE_ID(haven_safety, (std::vector<haven::category_score>))
CAF_ADD_TYPE_ID(haven_safety, (haven::moderation_result))
CAF_ADD_TYPE_ID(haven_safety, (haven::moderation_item_view))
CAF_ADD_TYPE_ID(haven_safety, (std::vector<haven::moderation_item_view>))
CAF_ADD_ATOM(haven_safety, haven, cr_events_atom, "cr_events")
CAF_ADD_ATOM(haven_safety, haven, cr_ack_atom, "cr_ack")
CAF_ADD_ATOM(haven_safety, haven, mod_queue_atom, "mod_queue")
CAF_ADD_ATOM(haven_safety, haven, mod_solve_atom, "mod_solve")
CAF_END_TYPE_ID_BLOCK(haven_safety)

namespace haven {

/// POST /v1/crisis/detect, validated by the edge (text 1..8 KiB).
struct crisis_detect_request {
  session_ref caller;
  std::string text, locale, session_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, crisis_detect_request& x) {
  return f(caf::meta::type_name("crisis_detect_request"), x.caller, x.text, x.locale, x.session_id);
}

struct crisis_signal_view {
  std::string category, evidence;
  double weight = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, crisis_signal_view& x) {
  return f(caf::meta::type_name("crisis_signal_view"), x.category, x.evidence, x.weight);
}

struct crisis_resource_view {
  std::string name, phone, url, locale;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, crisis_resource_view& x) {
  return f(caf::meta::type_name("crisis_resource_view"), x.name, x.phone, x.url, x.locale);
}

/// API.md section 4's detect answer; `event_id` empty = null.
struct crisis_detect_result {
  std::string risk_level;
  double score = 0;
  std::vector<crisis_signal_view> signals;
  bool escalate = false;
  std::vector<crisis_resource_view> resources;
  std::string event_id;
  bool other_person = false; // someone else is at risk now (API.md section 4)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, crisis_detect_result& x) {
  return f(caf::meta::type_name("crisis_detect_result"), x.risk_level, x.score, x.signals,
           x.escalate, x.resources, x.event_id, x.other_person);
}

/// One stored crisis event; `session_id`, `acknowledged_by` empty = null.
struct crisis_event_view {
  std::string id, user_id, session_id, risk_level;
  double score = 0;
  std::string created_at, status, acknowledged_by;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, crisis_event_view& x) {
  return f(caf::meta::type_name("crisis_event_view"), x.id, x.user_id, x.session_id, x.risk_level,
           x.score, x.created_at, x.status, x.acknowledged_by);
}

/// POST /v1/safety/validate; `direction` is "input" or "output".
struct moderation_request {
  session_ref caller;
  std::string text, direction;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, moderation_request& x) {
  return f(caf::meta::type_name("moderation_request"), x.caller, x.text, x.direction);
}

struct category_score {
  std::string name;
  double score = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, category_score& x) {
  return f(caf::meta::type_name("category_score"), x.name, x.score);
}

struct moderation_result {
  bool allowed = true;
  std::string action;
  std::vector<category_score> categories;
  std::string text;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, moderation_result& x) {
  return f(caf::meta::type_name("moderation_result"), x.allowed, x.action, x.categories, x.text);
}

/// One review-queue item (no text is stored: see docs/safety.md).
struct moderation_item_view {
  std::string id, user_id, direction;
  std::vector<category_score> categories;
  std::string action, created_at, status;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, moderation_item_view& x) {
  return f(caf::meta::type_name("moderation_item_view"), x.id, x.user_id, x.direction, x.categories,
           x.action, x.created_at, x.status);
}

/// The crisis actor. Errors: errc::validation_failed, not_found, forbidden,
/// dependency_unavailable (an escalation that could not be stored is never
/// answered as if it were).
/// - detect -> the assessment; high/critical stores an event + crisis.detected.
/// - (cr_events, caller, status filter "open|acknowledged|all") -> the
///   caller's organization's events, severity first, then oldest first.
/// - (cr_ack, caller, event id, note) -> the event (idempotent).
using crisis_actor = caf::typed_actor<
    caf::replies_to<crisis_detect_request>::with<crisis_detect_result>,
    caf::replies_to<cr_events_atom, session_ref, std::string>::with<std::vector<crisis_event_view>>,
    caf::replies_to<cr_ack_atom, session_ref, std::string /*id*/,
                    std::string /*note*/>::with<crisis_event_view>>;

/// The moderation actor. Errors as the crisis actor's.
/// - validate -> the decision; flagged items are queued + moderation.flagged.
/// - (mod_queue, caller, status filter "pending|approved|removed|all") -> items, oldest first.
/// - (mod_solve, caller, item id, "approve"|"remove") -> the item (first decision wins).
using moderation_actor =
    caf::typed_actor<caf::replies_to<moderation_request>::with<moderation_result>,
                     caf::replies_to<mod_queue_atom, session_ref,
                                     std::string>::with<std::vector<moderation_item_view>>,
                     caf::replies_to<mod_solve_atom, session_ref, std::string /*id*/,
                                     std::string /*decision*/>::with<moderation_item_view>>;

} // namespace haven
