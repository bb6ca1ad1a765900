#include "actors/sessions/routes/conversation_json.hpp"

#include "actors/crisis/routes/crisis_json.hpp"
#include "base/json/json_writer.hpp"

namespace haven::sessions {

std::string chat_body(const chat_result& r) {
  json::writer w;
  w.begin_object().field("session_id", r.session_id).field("message_id", r.message_id);
  w.key("reply").begin_object().field("text", r.reply_text).field("source", r.reply_source);
  w.end_object();
  w.key("safety").begin_object().field("action", r.safety_action);
  w.key("categories").begin_array();
  for (const auto& c : r.safety_categories)
    w.begin_object().field("name", c.name).field("score", c.score).end_object();
  w.end_array().end_object();
  const auto& c = r.crisis;
  w.key("crisis").begin_object().field("risk_level", c.risk_level).field("score", c.score);
  w.field("escalate", c.escalate);
  if (c.other_person)
    w.field("other_person", true);
  w.key("resources").raw(crisis::resources_json(c.resources));
  w.key("event_id");
  c.event_id.empty() ? w.null() : w.value(c.event_id);
  w.end_object();
  return std::move(w.end_object()).str();
}

std::string sessions_body(const std::vector<session_summary>& s) {
  json::writer w;
  w.begin_object().key("sessions").begin_array();
  for (const auto& x : s) {
    w.begin_object().field("id", x.id).field("created_at", x.created_at);
    w.key("last_message_at");
    x.last_message_at.empty() ? w.null() : w.value(x.last_message_at);
    w.field("message_count", x.message_count).field("max_risk_level", x.max_risk_level);
    w.end_object();
  }
  return std::move(w.end_array().end_object()).str();
}

std::string messages_body(const std::vector<message_view>& m) {
  json::writer w;
  w.begin_object().key("messages").begin_array();
  for (const auto& x : m)
    w.begin_object()
        .field("id", x.id)
        .field("role", x.role)
        .field("text", x.text)
        .field("created_at", x.created_at)
        .end_object();
  return std::move(w.end_array().end_object()).str();
}

} // namespace haven::sessions
