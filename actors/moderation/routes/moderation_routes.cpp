// /v1/safety/validate and /v1/moderation/queue… (API.md section 4).
#include <atomic>

#include <caf/all.hpp>

#include "actors/auth/validation.hpp"
#include "actors/crisis/routes/safety_fields.hpp"
#include "actors/crisis/routes/safety_routes.hpp"
#include "actors/moderation/queue_rules.hpp"
#include "actors/moderation/routes/moderation_json.hpp"
#include "messages/errors.hpp"

namespace haven::crisis {

namespace {

using http::body_reader;
using http::exchange;
using http::method;
using namespace moderation::json_shapes;

// Stateless actors: round robin on the edge thread (the only caller).
const moderation_actor& next_actor(const safety_route_deps& d) {
  static thread_local size_t next = 0;
  return d.moderation[next++ % d.moderation.size()];
}

void on_validate(const safety_route_deps& d, exchange& ex) {
  auto c = safety_caller(d, ex);
  if (!c)
    return;
  body_reader b{ex.json};
  auto r = read_validate(b);
  if (!b.ok())
    return ex.reply.fail(b.error());
  r.caller = auth::to_session(*c, ex.reply.request_id());
  ask<moderation_result>(next_actor(d), ex, validate_body, std::move(r));
}

void on_queue(const safety_route_deps& d, exchange& ex) {
  auto c = staff_caller(d, ex);
  if (!c)
    return;
  auto status = moderation::parse_queue_filter(ex.req.query_param("status"));
  if (!status)
    return ex.reply.fail(make_validation_error("status: must be pending, approved, removed or all",
                                               {{"status", "invalid"}}));
  ask<std::vector<moderation_item_view>>(next_actor(d), ex, items_body, mod_queue_atom_v,
                                         auth::to_session(*c, ex.reply.request_id()),
                                         std::move(*status));
}

void on_resolve(const safety_route_deps& d, exchange& ex) {
  auto c = staff_caller(d, ex);
  if (!c)
    return;
  std::string id{ex.route.param("id")};
  if (!auth::valid_uuid(id))
    return ex.reply.fail(make_error(errc::not_found, "no such moderation item"));
  body_reader b{ex.json};
  auto decision = b.optional_string("decision", 16);
  if (!b.has("decision"))
    b.add_issue("decision", "required", "decision: is required");
  else if (decision && !moderation::status_for_decision(*decision))
    b.add_issue("decision", "invalid", "decision: must be approve or remove");
  if (!b.ok())
    return ex.reply.fail(b.error());
  ask<moderation_item_view>(next_actor(d), ex, item_body, mod_solve_atom_v,
                            auth::to_session(*c, ex.reply.request_id()), std::move(id),
                            decision.value_or(std::string{}));
}

} // namespace

void add_moderation_routes(const safety_route_deps& d, std::vector<http::route_entry>& out) {
  auto bind = [d](void (*fn)(const safety_route_deps&, exchange&)) {
    return [d, fn](exchange& ex) { fn(d, ex); };
  };
  out.push_back({method::post, "/v1/safety/validate", bind(on_validate), true});
  out.push_back({method::get, "/v1/moderation/queue", bind(on_queue), false});
  out.push_back({method::post, "/v1/moderation/queue/{id}/resolve", bind(on_resolve), true});
}

} // namespace haven::crisis
