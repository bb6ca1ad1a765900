#include "actors/sync_queue/routes/sync_routes.hpp"

#include <charconv>

#include <caf/all.hpp>

#include "actors/sync_queue/cursor.hpp"
#include "actors/sync_queue/routes/upload_reader.hpp"
#include "base/json/json_writer.hpp"
#include "io/http/ask.hpp"
#include "messages/errors.hpp"

namespace haven::sync {

namespace {

using http::exchange;
using http::method;

std::string upload_body(const std::string& user_id, const sync_upload_result& r) {
  json::writer w;
  w.begin_object();
  w.key("results").begin_array();
  for (const auto& x : r.results) {
    w.begin_object();
    w.field("op_id", x.op_id);
    w.field("status", x.status);
    w.field("version", x.version);
    if (x.server_version >= 0)
      w.field("server_version", x.server_version);
    if (!x.error.empty())
      w.field("error", x.error);
    if (!x.field.empty())
      w.field("field", x.field);
    if (!x.issue.empty())
      w.field("issue", x.issue);
    if (!x.first_status.empty())
      w.field("first_status", x.first_status);
    w.end_object();
  }
  w.end_array();
  w.field("cursor", encode_cursor(user_id, r.cursor_seq));
  w.end_object();
  return std::move(w).str();
}

std::string changes_body(const std::string& user_id, const sync_changes_page& p) {
  json::writer w;
  w.begin_object();
  w.key("changes").begin_array();
  for (const auto& c : p.changes) {
    w.begin_object();
    w.field("entity", c.entity);
    w.field("entity_id", c.entity_id);
    w.field("version", c.version);
    w.field("kind", c.kind);
    if (c.payload.empty())
      w.key("payload").null();
    else
      w.key("payload").raw(c.payload); // stored minified by the edge from parsed JSON
    w.field("device_id", c.device_id);
    w.field("server_ts", c.server_ts);
    w.end_object();
  }
  w.end_array();
  w.field("cursor", encode_cursor(user_id, p.cursor_seq));
  w.field("has_more", p.has_more);
  w.end_object();
  return std::move(w).str();
}

void on_upload(const sync_route_deps& d, exchange& ex) {
  auto claims = d.gate->authorized(ex);
  if (!claims)
    return ex.reply.fail(claims.error());
  auto up = read_upload(ex.json, *d.schemas);
  if (!up)
    return ex.reply.fail(up.error());
  up->user_id = claims->sub;
  up->request_id = ex.reply.request_id();
  auto user = claims->sub;
  http::ask<sync_upload_result>(
      ex, d.sync, 200, [user](const sync_upload_result& r) { return upload_body(user, r); },
      std::move(*up));
}

void on_changes(const sync_route_deps& d, exchange& ex) {
  auto claims = d.gate->authorized(ex);
  if (!claims)
    return ex.reply.fail(claims.error());
  sync_changes_query q;
  q.user_id = claims->sub;
  q.limit = default_page;
  std::vector<std::pair<std::string, std::string>> bad;
  if (auto since = ex.req.query_param("since"); !since.empty()) {
    auto seq = decode_cursor(q.user_id, since);
    if (seq)
      q.since_seq = *seq;
    else
      bad.emplace_back("since", "invalid");
  }
  if (auto limit = ex.req.query_param("limit"); !limit.empty()) {
    uint32_t n = 0;
    auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc{} || end != limit.data() + limit.size() || n < 1 || n > max_page)
      bad.emplace_back("limit", "out_of_range");
    else
      q.limit = n;
  }
  if (!bad.empty())
    return ex.reply.fail(make_validation_error(bad.front().first == "since"
                                                   ? "since: not a cursor this API gave you"
                                                   : "limit: must be an integer from 1 to 500",
                                               bad));
  auto user = q.user_id;
  http::ask<sync_changes_page>(
      ex, d.sync, 200, [user](const sync_changes_page& p) { return changes_body(user, p); },
      std::move(q));
}

} // namespace

std::vector<http::route_entry> sync_routes(const sync_route_deps& d) {
  std::vector<http::route_entry> out;
  out.push_back({method::post, "/v1/sync/upload", [d](exchange& ex) { on_upload(d, ex); }, true,
                 d.max_upload_body_bytes});
  out.push_back(
      {method::get, "/v1/sync/changes", [d](exchange& ex) { on_changes(d, ex); }, false, 0});
  return out;
}

} // namespace haven::sync
