#include "io/nats/jetstream.hpp"

#include <cstdint>

#include <simdjson.h>

#include "base/json/json_writer.hpp"

namespace haven::nats {

std::string events_filter(std::string_view prefix) {
  std::string s{prefix};
  s += ".events.>";
  return s;
}

bool is_event_subject(std::string_view prefix, std::string_view subject) {
  constexpr std::string_view mid = ".events.";
  return subject.size() > prefix.size() + mid.size() &&
         subject.substr(0, prefix.size()) == prefix &&
         subject.substr(prefix.size(), mid.size()) == mid;
}

std::string stream_create_subject() {
  std::string s = "$JS.API.STREAM.CREATE.";
  s += events_stream;
  return s;
}

std::string stream_create_body(std::string_view prefix) {
  constexpr int64_t ns_per_s = 1000000000;
  json::writer w;
  w.begin_object();
  w.field("name", events_stream);
  w.key("subjects").begin_array().value(events_filter(prefix)).end_array();
  w.field("retention", "limits");
  w.field("storage", "file");
  w.field("discard", "old");
  w.field("num_replicas", 1);
  w.field("duplicate_window", 120 * ns_per_s);
  w.field("max_age", 7 * 24 * 3600 * ns_per_s);
  w.end_object();
  return std::move(w).str();
}

js_reply parse_js_reply(std::string_view json) {
  js_reply r;
  thread_local simdjson::dom::parser parser; // reused: one ack per event on the hot path
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    r.description = "not a JSON object";
    return r;
  }
  simdjson::dom::element err;
  if (doc["error"].get(err) == simdjson::SUCCESS) {
    int64_t n = 0;
    if (err["code"].get(n) == simdjson::SUCCESS)
      r.code = static_cast<int>(n);
    if (err["err_code"].get(n) == simdjson::SUCCESS)
      r.err_code = static_cast<int>(n);
    std::string_view d;
    if (err["description"].get(d) == simdjson::SUCCESS)
      r.description = std::string{d};
    return r;
  }
  bool dup = false;
  if (doc["duplicate"].get(dup) == simdjson::SUCCESS)
    r.duplicate = dup;
  r.ok = true;
  return r;
}

} // namespace haven::nats
