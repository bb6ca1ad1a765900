#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "messages/auth.hpp"
#include "messages/safety.hpp"

// The conversations family's messages (API.md section 5, docs/conversations.md):
// the registry shards (actors/sessions/registry.hpp) that the routes talk to,
// and the per-session actors they activate. Register with
// cfg.add_message_types<caf::id_block::haven_sessions>(). Message text travels
// only in requests and replies, never in logs, events or metrics.

namespace haven {
struct chat_request;
struct chat_result;
struct session_summary;
struct message_view;
} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven_sessions, caf::first_custom_type_id + 600)
CAF_ADD_TYPE_ID(haven_sessions, (haven::chat_request))
CAF_ADD_TYPE_ID(haven_sessions, (haven::chat_result))
CAF_ADD_TYPE_ID(haven_sessions, (haven::session_summary))
CAF_ADD_TYPE_ID(haven_sessions, (std::vector<haven::session_summary>))
CAF_ADD_TYPE_ID(haven_sessions, (haven::message_view))
CAF_ADD_TYPE_ID(haven_sessions, (std::vector<haven::message_view>))
CAF_ADD_ATOM(haven_sessions, haven, cv_list_atom, "cv_list")
CAF_ADD_ATOM(haven_sessions, haven, cv_msgs_atom, "cv_msgs")
CAF_ADD_ATOM(haven_sessions, haven, cv_del_atom, "cv_del")
CAF_ADD_ATOM(haven_sessions, haven, cv_idle_atom, "cv_idle")
CAF_ADD_ATOM(haven_sessions, haven, cv_stop_atom, "cv_stop")
CAF_ADD_ATOM(haven_sessions, haven, cv_llm_atom, "cv_llm")
CAF_ADD_ATOM(haven_sessions, haven, cv_gone_atom, "cv_gone")
CAF_ADD_ATOM(haven_sessions, haven, cv_stats_atom, "cv_stats")
CAF_END_TYPE_ID_BLOCK(haven_sessions)

namespace haven {

/// POST /v1/conversation/chat, validated by the edge. `session_id` is always
/// set: a new session's id is made by the edge (`is_new`), so the request is
/// routed like any other.
struct chat_request {
  session_ref caller;
  std::string message, session_id, locale;
  bool is_new = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, chat_request& x) {
  return f(caf::meta::type_name("chat_request"), x.caller, x.message, x.session_id, x.locale,
           x.is_new);
}

/// API.md section 5's chat answer.
struct chat_result {
  std::string session_id, message_id;
  std::string reply_text, reply_source; // source: "fallback" | "provider"
  std::string safety_action;            // the input's: allow | redact | block
  std::vector<category_score> safety_categories;
  crisis_detect_result crisis; // risk_level, score, escalate, resources (signals unused)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, chat_result& x) {
  return f(caf::meta::type_name("chat_result"), x.session_id, x.message_id, x.reply_text,
           x.reply_source, x.safety_action, x.safety_categories, x.crisis);
}

/// One row of GET /v1/conversation/sessions; `last_message_at` empty = null.
struct session_summary {
  std::string id, created_at, last_message_at;
  int64_t message_count = 0;
  std::string max_risk_level;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_summary& x) {
  return f(caf::meta::type_name("session_summary"), x.id, x.created_at, x.last_message_at,
           x.message_count, x.max_risk_level);
}

/// One message of GET /v1/conversation/sessions/{id}/messages (opened).
struct message_view {
  std::string id, role, text, created_at;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, message_view& x) {
  return f(caf::meta::type_name("message_view"), x.id, x.role, x.text, x.created_at);
}

/// A registry shard: sessions are routed to the shard of their id, which
/// activates (spawns) the session's actor on first use and forgets it when
/// it passivates. Errors: errc::not_found (unknown or someone else's
/// session), validation_failed (`before` unknown), dependency_unavailable,
/// conflict (a turn lost the version race three times).
/// - chat -> the turn's answer (answered by the session actor).
/// - (cv_list, caller) -> the caller's sessions, newest first.
/// - (cv_msgs, caller, session id, limit, before id or "") -> messages, newest first.
/// - (cv_del, caller, session id) -> true once the rows are deleted.
/// - (cv_gone, session id, incarnation): the session actor passivates.
/// - (cv_stats) -> live session actors of this shard.
using conversation_actor =
    caf::typed_actor<caf::replies_to<chat_request>::with<chat_result>,
                     caf::replies_to<cv_list_atom, session_ref>::with<std::vector<session_summary>>,
                     caf::replies_to<cv_msgs_atom, session_ref, std::string, uint32_t,
                                     std::string>::with<std::vector<message_view>>,
                     caf::replies_to<cv_del_atom, session_ref, std::string>::with<bool>,
                     caf::reacts_to<cv_gone_atom, std::string, uint64_t>,
                     caf::replies_to<cv_stats_atom>::with<uint64_t>>;

/// One session's actor (actors/sessions/session_actor.hpp): turns in order.
/// - chat -> the turn's answer.
/// - (cv_idle, generation): the idle timer; passivates when still idle.
/// - (cv_stop): the registry forgot it; finish queued turns, then quit.
/// - (cv_llm, turn, ok, text, error): the provider's answer to turn `turn`.
using session_actor =
    caf::typed_actor<caf::replies_to<chat_request>::with<chat_result>,
                     caf::reacts_to<cv_idle_atom, uint64_t>, caf::reacts_to<cv_stop_atom>,
                     caf::reacts_to<cv_llm_atom, uint64_t, bool, std::string, std::string>>;

} // namespace haven
