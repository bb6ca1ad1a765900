#include "actors/status/routes/status_routes.hpp"

#include <functional>

#include <caf/all.hpp>

#include "actors/status/status_rules.hpp"
#include "base/json/json_writer.hpp"
#include "io/http/ask.hpp"
#include "messages/errors.hpp"

namespace haven::status {

namespace {

using http::exchange;

const status_actor& pick(const status_route_deps& d, std::string_view resource_id) {
  return d.actors[std::hash<std::string_view>{}(resource_id) % d.actors.size()];
}

void check_resource_id(http::body_reader& b, std::string_view id) {
  if (!valid_resource_id(id))
    b.add_issue("resource_id", "invalid",
                "resource_id: 1-128 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
}

void on_put(const status_route_deps& d, exchange& ex) {
  auto c = d.gate->authorized(ex);
  if (!c)
    return ex.reply.fail(c.error());
  auto stage = ex.route.param("stage");
  if (!stage_index(stage))
    return ex.reply.fail(make_error(errc::not_found, "no such stage"));
  auto id = ex.route.param("resource_id");
  http::body_reader b{ex.json};
  check_resource_id(b, id);
  status_update u;
  read_update_body(b, u);
  if (!b.ok())
    return ex.reply.fail(b.error());
  u.caller = auth::to_session(*c, ex.reply.request_id());
  u.resource_id = std::string{id};
  u.stage = std::string{stage};
  http::ask<status_view>(ex, pick(d, id), 200, status_body, std::move(u));
}

void on_get(const status_route_deps& d, exchange& ex) {
  auto c = d.gate->authorized(ex);
  if (!c)
    return ex.reply.fail(c.error());
  auto id = ex.route.param("resource_id");
  http::body_reader b{nullptr};
  check_resource_id(b, id);
  if (!b.ok())
    return ex.reply.fail(b.error());
  http::ask<status_view>(ex, pick(d, id), 200, status_body, st_get_atom_v,
                         auth::to_session(*c, ex.reply.request_id()), std::string{id});
}

} // namespace

void read_update_body(http::body_reader& b, status_update& out) {
  bool has_status = b.has("status");
  auto status = b.optional_string("status", 64);
  if (!has_status)
    b.add_issue("status", "required", "status: is required");
  else if (status && !parse_state(*status))
    b.add_issue("status", "invalid", "status: must be pending, processing, completed or failed");
  out.status = status.value_or(std::string{});
  out.progress = static_cast<int32_t>(b.optional_int("progress", 0, 100).value_or(-1));
  auto message = b.optional_string("message", max_message_chars);
  out.has_message = message.has_value();
  out.message = message.value_or(std::string{});
}

std::string status_body(const status_view& v) {
  json::writer w;
  w.begin_object();
  w.field("resource_id", v.resource_id);
  w.field("overall", v.overall);
  w.key("stages").begin_object();
  for (size_t i = 0; i < stage_names.size(); ++i) {
    static const stage_view never_written;
    const auto& s = i < v.stages.size() ? v.stages[i] : never_written;
    w.key(stage_names[i]).begin_object();
    w.field("status", s.status);
    w.field("progress", static_cast<int64_t>(s.progress));
    w.key("message");
    if (s.has_message)
      w.value(s.message);
    else
      w.null();
    w.key("updated_at");
    if (s.updated_at.empty())
      w.null();
    else
      w.value(s.updated_at);
    w.end_object();
  }
  w.end_object();
  w.field("updated_at", v.updated_at);
  w.end_object();
  return std::move(w).str();
}

std::vector<http::route_entry> status_routes(const status_route_deps& d) {
  return {
      {http::method::put, "/v1/status/{resource_id}/stages/{stage}",
       [d](exchange& ex) { on_put(d, ex); }, true},
      {http::method::get, "/v1/status/{resource_id}", [d](exchange& ex) { on_get(d, ex); }, false},
  };
}

} // namespace haven::status
