// /v1/crisis/… (API.md section 4) and the helpers of both safety route files.
#include <functional>

#include <caf/all.hpp>

#include "actors/auth/validation.hpp"
#include "actors/crisis/crisis_actor.hpp"
#include "actors/crisis/event_rules.hpp"
#include "actors/crisis/routes/crisis_json.hpp"
#include "actors/crisis/routes/resource_json_memo.hpp"
#include "actors/crisis/routes/safety_fields.hpp"
#include "actors/crisis/routes/safety_routes.hpp"
#include "actors/crisis/scorer.hpp"
#include "messages/errors.hpp"

namespace haven::crisis {

namespace {

using http::body_reader;
using http::exchange;
using http::method;

void on_detect(const safety_route_deps& d, resource_json_memo& memo, exchange& ex) {
  // The gate's memo holds the claims for this dispatch: no copy on the hot path.
  const auto* c = d.gate->verify(ex.req.header("authorization"), auth::unix_now());
  if (c == nullptr)
    return ex.reply.fail(make_error(errc::unauthorized)); // what auth_gate::check() answers
  body_reader b{ex.json};
  auto r = read_detect(b);
  if (!b.ok())
    return ex.reply.fail(b.error());
  if (r.session_id.empty() && d.lexicons && d.resources) {
    auto a = score(*d.lexicons, r.text, r.locale);
    auto plan = plan_escalation(a, nullptr, false);
    if (!plan.escalate) {
      auto res = make_detect_result(a, plan, {}, r.locale);
      static const std::string none = "[]";
      const auto& resources = wants_resources(plan.level, a) ? memo.json_for(r.locale) : none;
      d.metrics->detections.fetch_add(1, std::memory_order_relaxed);
      return ex.reply.send(http::json_response(200, detect_body_with(res, resources)));
    }
    // Escalations store an event: the actor scores again and writes it.
  }
  r.caller = auth::to_session(*c, ex.reply.request_id());
  // Without a session any shard will do; the user id spreads the load.
  auto& actor = shard_for(d.crisis, r.caller.user_id, r.session_id);
  ask<crisis_detect_result>(actor, ex, detect_body, std::move(r));
}

void on_events(const safety_route_deps& d, exchange& ex) {
  auto c = staff_caller(d, ex);
  if (!c)
    return;
  auto raw = ex.req.query_param("status");
  auto status = parse_status_filter(raw);
  if (!status)
    return ex.reply.fail(make_validation_error("status: must be open, acknowledged or all",
                                               {{"status", "invalid"}}));
  ask<std::vector<crisis_event_view>>(d.crisis.front(), ex, events_body, cr_events_atom_v,
                                      auth::to_session(*c, ex.reply.request_id()),
                                      std::move(*status));
}

void on_ack(const safety_route_deps& d, exchange& ex) {
  auto c = staff_caller(d, ex);
  if (!c)
    return;
  std::string id{ex.route.param("id")};
  if (!auth::valid_uuid(id))
    return ex.reply.fail(make_error(errc::not_found, "no such crisis event"));
  body_reader b{ex.json};
  auto note = b.optional_string("note", 2000).value_or(std::string{});
  if (!b.ok())
    return ex.reply.fail(b.error());
  ask<crisis_event_view>(d.crisis.front(), ex, event_body, cr_ack_atom_v,
                         auth::to_session(*c, ex.reply.request_id()), std::move(id),
                         std::move(note));
}

} // namespace

std::optional<auth::access_claims> safety_caller(const safety_route_deps& d, exchange& ex) {
  auto claims = d.gate->authorized(ex);
  if (!claims) {
    ex.reply.fail(claims.error());
    return std::nullopt;
  }
  return std::move(*claims);
}

std::optional<auth::access_claims> staff_caller(const safety_route_deps& d, exchange& ex) {
  auto c = safety_caller(d, ex);
  if (!c)
    return std::nullopt;
  if (auto err = auth::require_role(*c, {"counselor", "admin"})) {
    ex.reply.fail(err);
    return std::nullopt;
  }
  if (auto err = auth::require_org(*c)) {
    ex.reply.fail(err);
    return std::nullopt;
  }
  return c;
}

void add_crisis_routes(const safety_route_deps& d, std::vector<http::route_entry>& out) {
  auto bind = [d](void (*fn)(const safety_route_deps&, exchange&)) {
    return [d, fn](exchange& ex) { fn(d, ex); };
  };
  // Only the edge's thread runs the routes: the memo needs no lock.
  auto memo = std::make_shared<resource_json_memo>(d.resources);
  out.push_back({method::post, "/v1/crisis/detect",
                 [d, memo](exchange& ex) { on_detect(d, *memo, ex); }, true});
  out.push_back({method::get, "/v1/crisis/events", bind(on_events), false});
  out.push_back({method::post, "/v1/crisis/events/{id}/ack", bind(on_ack), true});
}

std::vector<http::route_entry> safety_routes(const safety_route_deps& d) {
  std::vector<http::route_entry> out;
  add_crisis_routes(d, out);
  add_moderation_routes(d, out);
  return out;
}

} // namespace haven::crisis
