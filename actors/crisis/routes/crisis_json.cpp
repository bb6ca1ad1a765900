#include "actors/crisis/routes/crisis_json.hpp"

namespace haven::crisis {

namespace {

void nullable(json::writer& w, const char* key, const std::string& v) {
  w.key(key);
  v.empty() ? w.null() : w.value(v);
}

} // namespace

std::string resources_json(const std::vector<crisis_resource_view>& resources) {
  json::writer w;
  w.begin_array();
  for (auto& x : resources) {
    w.begin_object().field("name", x.name);
    if (!x.phone.empty())
      w.field("phone", x.phone);
    if (!x.url.empty())
      w.field("url", x.url);
    w.field("locale", x.locale).end_object();
  }
  return std::move(w.end_array()).str();
}

std::string detect_body(const crisis_detect_result& r) {
  return detect_body_with(r, resources_json(r.resources));
}

std::string detect_body_with(const crisis_detect_result& r, std::string_view resources_array) {
  json::writer w;
  w.begin_object().field("risk_level", r.risk_level).field("score", r.score);
  w.key("signals").begin_array();
  for (auto& s : r.signals)
    w.begin_object()
        .field("category", s.category)
        .field("evidence", s.evidence)
        .field("weight", s.weight)
        .end_object();
  w.end_array().field("escalate", r.escalate);
  if (r.other_person) // someone else at risk now (API.md section 4): only when true
    w.field("other_person", true);
  w.key("resources").raw(resources_array);
  nullable(w, "event_id", r.event_id);
  return std::move(w.end_object()).str();
}

void write_event(json::writer& w, const crisis_event_view& e) {
  w.begin_object().field("id", e.id).field("user_id", e.user_id);
  nullable(w, "session_id", e.session_id);
  w.field("risk_level", e.risk_level)
      .field("score", e.score)
      .field("created_at", e.created_at)
      .field("status", e.status);
  if (!e.acknowledged_by.empty())
    w.field("acknowledged_by", e.acknowledged_by);
  w.end_object();
}

std::string events_body(const std::vector<crisis_event_view>& events) {
  json::writer w;
  w.begin_object().key("events").begin_array();
  for (auto& e : events)
    write_event(w, e);
  return std::move(w.end_array().end_object()).str();
}

std::string event_body(const crisis_event_view& e) {
  json::writer w;
  w.begin_object().key("event");
  write_event(w, e);
  return std::move(w.end_object()).str();
}

} // namespace haven::crisis
