#include "actors/sessions/routes/conversation_routes.hpp"

#include <caf/all.hpp>

#include "actors/auth/user_handles.hpp"
#include "actors/sessions/registry.hpp"
#include "actors/sessions/routes/chat_fields.hpp"
#include "actors/sessions/routes/conversation_json.hpp"
#include "io/http/ask.hpp"
#include "io/http/body_reader.hpp"
#include "messages/errors.hpp"

namespace haven::sessions {

namespace {

using http::exchange;
using http::method;

std::optional<session_ref> caller_of(const conversation_route_deps& d, exchange& ex) {
  auto claims = d.gate->authorized(ex);
  if (!claims) {
    ex.reply.fail(claims.error());
    return std::nullopt;
  }
  return auth::to_session(*claims, ex.reply.request_id());
}

// A query parameter that is present (also when empty: "limit=" is a bad
// value, not a missing one).
std::optional<std::string_view> query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
  }
  return std::nullopt;
}

void on_chat(const conversation_route_deps& d, exchange& ex) {
  auto caller = caller_of(d, ex);
  if (!caller)
    return;
  http::body_reader b{ex.json};
  auto r = read_chat(b, ex.json);
  if (!b.ok())
    return ex.reply.fail(b.error());
  if (r.is_new)
    r.session_id = auth::new_uuid();
  r.caller = std::move(*caller);
  const auto& shard = shard_of(d.shards, r.session_id);
  auto reply = ex.reply;
  ex.self->request(shard, ex.timeout + d.provider_timeout, std::move(r))
      .then([reply](chat_result& res) { reply.send(http::json_response(200, chat_body(res))); },
            [reply](caf::error& err) { reply.fail(err); });
}

void on_sessions(const conversation_route_deps& d, exchange& ex) {
  auto caller = caller_of(d, ex);
  if (!caller)
    return;
  const auto& shard = shard_of(d.shards, caller->user_id);
  http::ask<std::vector<session_summary>>(ex, shard, 200, sessions_body, cv_list_atom_v,
                                          std::move(*caller));
}

void on_messages(const conversation_route_deps& d, exchange& ex) {
  auto caller = caller_of(d, ex);
  if (!caller)
    return;
  auto id = normalize_uuid(ex.route.param("id"));
  if (!id) // not an id we hand out: nobody's session
    return ex.reply.fail(make_error(errc::not_found, "no such conversation session"));
  caf::error err;
  auto page =
      read_page(query_value(ex.req.query, "limit"), query_value(ex.req.query, "before"), err);
  if (!page)
    return ex.reply.fail(err);
  const auto& shard = shard_of(d.shards, *id);
  http::ask<std::vector<message_view>>(ex, shard, 200, messages_body, cv_msgs_atom_v,
                                       std::move(*caller), *id, page->limit,
                                       std::move(page->before));
}

void on_delete(const conversation_route_deps& d, exchange& ex) {
  auto caller = caller_of(d, ex);
  if (!caller)
    return;
  auto id = normalize_uuid(ex.route.param("id"));
  if (!id)
    return ex.reply.fail(make_error(errc::not_found, "no such conversation session"));
  const auto& shard = shard_of(d.shards, *id);
  http::ask<bool>(
      ex, shard, 204, [](bool) { return std::string{}; }, cv_del_atom_v, std::move(*caller), *id);
}

} // namespace

std::vector<http::route_entry> conversation_routes(const conversation_route_deps& d) {
  auto bind = [d](void (*fn)(const conversation_route_deps&, exchange&)) {
    return [d, fn](exchange& ex) { fn(d, ex); };
  };
  return {
      {method::post, "/v1/conversation/chat", bind(on_chat), true},
      {method::get, "/v1/conversation/sessions", bind(on_sessions), false},
      {method::get, "/v1/conversation/sessions/{id}/messages", bind(on_messages), false},
      {method::delete_, "/v1/conversation/sessions/{id}", bind(on_delete), false},
  };
}

} // namespace haven::sessions
