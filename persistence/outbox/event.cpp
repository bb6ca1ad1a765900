#include "persistence/outbox/event.hpp"

#include <cstdio>
#include <ctime>

#include "base/json/json_writer.hpp"
#include "base/uuid.hpp"

namespace haven::outbox {

std::string encode_event(const event& e) {
  json::writer w;
  w.begin_object();
  w.field("id", e.id);
  w.field("type", e.type);
  w.field("occurred_at", e.occurred_at);
  w.field("node", e.node);
  if (!e.org_id.empty())
    w.field("org_id", e.org_id);
  if (!e.request_id.empty())
    w.field("request_id", e.request_id);
  w.key("data").raw(e.data_json.empty() ? std::string_view{"{}"} : std::string_view{e.data_json});
  w.end_object();
  return std::move(w).str();
}

std::string event_subject(std::string_view prefix, std::string_view type) {
  std::string s;
  s.reserve(prefix.size() + 8 + type.size());
  s.append(prefix);
  s.append(".events.");
  s.append(type);
  return s;
}

pg_statement outbox_insert(const event& e, std::string_view subject,
                           std::string_view aggregate_id) {
  pg_statement st;
  st.sql = "INSERT INTO outbox (id, type, subject, aggregate_id, org_id, request_id, event) "
           "VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6, $7)";
  st.params = {pg_value::of(e.id),
               pg_value::of(e.type),
               pg_value::of(std::string{subject}),
               pg_value::of(std::string{aggregate_id}),
               pg_value::nullable(e.org_id),
               pg_value::nullable(e.request_id),
               pg_value::of(encode_event(e))};
  return st;
}

std::string new_event_id() {
  return random_uuid();
}

std::string format_rfc3339_ms(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  long frac = static_cast<long>(ms % 1000);
  if (frac < 0) { // before 1970: floor, not truncate
    frac += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96]; // ints are unbounded to the compiler: room for the worst case
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

event make_event(std::string type, std::string node, std::string data_json, std::string org_id,
                 std::string request_id) {
  event e;
  e.id = new_event_id();
  e.type = std::move(type);
  e.occurred_at = format_rfc3339_ms(std::chrono::system_clock::now());
  e.node = std::move(node);
  e.org_id = std::move(org_id);
  e.request_id = std::move(request_id);
  e.data_json = std::move(data_json);
  return e;
}

pg_statement event_statement(const config::settings& cfg, std::string type, std::string data_json,
                             std::string org_id, std::string request_id,
                             std::string_view aggregate_id) {
  auto subject = event_subject(cfg.nats_prefix, type);
  auto e = make_event(std::move(type), cfg.node_id, std::move(data_json), std::move(org_id),
                      std::move(request_id));
  return outbox_insert(e, subject, aggregate_id);
}

} // namespace haven::outbox
