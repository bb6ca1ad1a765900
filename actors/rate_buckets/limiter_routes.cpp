// Where the limiter meets the routes: which routes are limited, who a request
// counts against, GET /v1/auth/rate-limit, and the /metrics lines.
#include <string_view>

#include "actors/auth/auth_gate.hpp"
#include "actors/rate_buckets/limiter.hpp"
#include "base/json/json_writer.hpp"
#include "io/http/client_address.hpp"
#include "io/metrics/http_metrics.hpp"

namespace haven::rate {

namespace {

tier tier_of(std::string_view claim) {
  if (claim == "premium")
    return tier::premium;
  if (claim == "admin")
    return tier::admin;
  return tier::free; // free, or a tier this node does not know: the smallest
}

} // namespace

const char* to_string(tier t) {
  switch (t) {
    case tier::premium:
      return "premium";
    case tier::admin:
      return "admin";
    case tier::anon:
      return "anon";
    default:
      return "free";
  }
}

void limiter::decorate(http::route_entry& r) {
  if (!deps_.cfg->rate_limit_enabled || r.pattern.rfind("/v1/", 0) != 0 ||
      r.limit == http::rate_limit::own_throttle)
    return;
  auto scope = r.limit == http::rate_limit::by_address ? key_scope::address : key_scope::caller;
  r.fn = wrap(std::move(r.fn), r.json_body, scope);
}

http::handler limiter::wrap(http::handler inner, bool json_body, key_scope scope) {
  auto me = shared_from_this();
  return [me, inner = std::move(inner), json_body, scope](http::exchange& ex) {
    me->admit(ex, inner, json_body, scope);
  };
}

limiter::subject limiter::identify(const http::exchange& ex, key_scope scope) {
  auto addr = http::client_address(ex.req, ex.remote, deps_.cfg->trusted_proxies);
  if (scope == key_scope::caller) {
    // A token that fails is answered 401 by the handler and counts by address.
    const auto* h = ex.req.header("authorization");
    // A token never seen here costs ~105 us of this thread to check: the
    // address pays for it from its budget of checks first (audit M1).
    struct budget_check {
      verify_budget& budget;
      const std::string& addr;
      std::optional<decision> spent;
    } check{token_checks_, addr, std::nullopt};
    bool refused = false;
    // One pointer captured: fits std::function's inline storage (no allocation).
    const auto* claims = deps_.gate->verify(
        h, auth::unix_now(),
        [c = &check] {
          c->spent = c->budget.take(c->addr, now_ms());
          return c->spent->allowed;
        },
        &refused);
    const auto& spent = check.spent;
    if (refused)
      return {"haven:rl:anon:" + addr, tier::anon, policy_of(tier::anon), spent};
    if (claims != nullptr) {
      auto t = tier_of(claims->tier);
      std::string key;
      key.reserve(20 + claims->sub.size());
      key.append("haven:rl:").append(to_string(t)).append(":").append(claims->sub);
      return {std::move(key), t, policy_of(t), std::nullopt};
    }
  }
  return {"haven:rl:anon:" + addr, tier::anon, policy_of(tier::anon), std::nullopt};
}

http::route_entry limiter::status_route() {
  auto me = shared_from_this();
  auto fn = [me](http::exchange& ex) {
    auto claims = me->deps_.gate->authorized(ex);
    if (!claims)
      return ex.reply.fail(claims.error());
    auto s = me->identify(ex, key_scope::caller);
    auto d = me->table_.peek(s.key, s.policy, now_ms());
    json::writer w;
    w.begin_object();
    w.field("tier", to_string(s.t));
    w.key("limit").value(static_cast<uint64_t>(s.policy.limit));
    w.key("remaining").value(static_cast<uint64_t>(d.remaining));
    w.key("reset_s").value(static_cast<int64_t>(d.reset_s));
    w.key("window_s").value(static_cast<uint64_t>(me->window_s_));
    w.end_object();
    ex.reply.send(http::json_response(200, std::move(w).str()));
  };
  return {http::method::get, "/v1/auth/rate-limit", std::move(fn), false};
}

void limiter::render_metrics(std::string& out) const {
  using metrics::append_header;
  using metrics::append_metric;
  using metrics::append_sample;
  auto per_tier = [&](const char* name, const char* help, uint64_t tier_counters::*field,
                      const char* extra) {
    append_header(out, name, "counter", help);
    for (size_t i = 0; i < tier_count; ++i) {
      std::string labels = std::string{"tier=\""} + to_string(static_cast<tier>(i)) + "\"" + extra;
      append_sample(out, name, labels, static_cast<double>(counters_[i].*field));
    }
  };
  per_tier("haven_rate_limit_allowed_total", "Requests the rate limiter let through, by tier.",
           &tier_counters::allowed, "");
  per_tier("haven_rate_limit_refusals_total", "Requests refused with 429 rate_limited, by tier.",
           &tier_counters::limited, "");
  per_tier("haven_rate_limit_degraded_decisions_total",
           "Decisions made node-locally because Redis was unreachable, by tier.",
           &tier_counters::degraded, "");
  per_tier("haven_rate_limit_near_limit_total",
           "Allowed requests with 80 % or more of the window used, by tier.",
           &tier_counters::near_limit, "");
  append_metric(out, "haven_rate_limit_degraded", "gauge",
                "1 while this node enforces limit / live nodes on its own (Redis unreachable).",
                table_.degraded() ? 1 : 0);
  append_metric(out, "haven_rate_limit_live_nodes", "gauge", "Nodes heard from in the last 3 s.",
                table_.live_nodes());
  append_metric(out, "haven_rate_limit_buckets", "gauge",
                "Keys with rate-limit state on this node.", static_cast<double>(table_.size()));
  append_metric(out, "haven_rate_limit_waits_total", "counter",
                "Requests that waited for a lease round trip to Redis.",
                static_cast<double>(waited_));
  append_header(out, "haven_rate_limit_redis_calls_total", "counter",
                "Lease script calls to Redis by kind.");
  append_sample(out, "haven_rate_limit_redis_calls_total", "kind=\"lease\"",
                static_cast<double>(orders_[0]));
  append_sample(out, "haven_rate_limit_redis_calls_total", "kind=\"give_back\"",
                static_cast<double>(orders_[1]));
  append_sample(out, "haven_rate_limit_redis_calls_total", "kind=\"charge\"",
                static_cast<double>(orders_[2]));
  append_metric(out, "haven_auth_token_checks_refused_total", "counter",
                "Requests refused because their address spent its budget of checks of "
                "never-seen tokens (HAVEN_TOKEN_CHECKS_PER_ADDR_S).",
                static_cast<double>(token_checks_.refused()));
  append_metric(out, "haven_auth_signature_checks_total", "counter",
                "Ed25519 checks of access tokens on the edge (cache misses).",
                static_cast<double>(deps_.gate->signature_checks()));
  append_metric(out, "haven_rate_limit_lease_failures_total", "counter",
                "Lease calls that failed or timed out.", static_cast<double>(lease_failures_));
}

} // namespace haven::rate
