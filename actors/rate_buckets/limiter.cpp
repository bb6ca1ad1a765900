#include "actors/rate_buckets/limiter.hpp"

#include <cstdio>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "actors/rate_buckets/lease_script.hpp"
#include "actors/rate_buckets/rate_headers.hpp"
#include "base/log/log.hpp"
#include "io/http/response.hpp"
#include "messages/errors.hpp"

namespace haven::rate {

namespace {

// A lease answer normally takes well under a millisecond; past this the
// waiting requests are decided locally (degraded) instead of waiting longer.
constexpr auto lease_timeout = std::chrono::milliseconds(500);
constexpr int64_t sweep_period_ms = 1000;

bool parse_grant(const redis_reply& r, lease_grant& g) {
  if (r.kind != redis_reply::array_kind || r.elements.size() != 3 ||
      r.elements[0].kind != redis_reply::integer_kind ||
      r.elements[2].kind != redis_reply::integer_kind)
    return false;
  auto& tat = r.elements[1];
  if (tat.kind != redis_reply::string_kind || tat.str.empty())
    return false;
  char* end = nullptr;
  g.tat_ms = std::strtod(tat.str.c_str(), &end);
  if (end == nullptr || *end != '\0')
    return false;
  g.granted = r.elements[0].integer;
  g.redis_now_ms = r.elements[2].integer;
  return true;
}

std::string number(double x) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6f", x);
  return buf;
}

} // namespace

limiter::limiter(limiter_deps d)
    : deps_(std::move(d)), window_s_(deps_.cfg->rate_limit_window_s),
      token_checks_(deps_.cfg->token_checks_per_addr_s) {}

int64_t limiter::now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

rate_policy limiter::policy_of(tier t) const {
  auto& c = *deps_.cfg;
  uint32_t limit = t == tier::premium ? c.rate_limit_premium
                   : t == tier::admin ? c.rate_limit_admin
                   : t == tier::anon  ? c.rate_limit_anon
                                      : c.rate_limit_free;
  return rate_policy{limit, static_cast<int64_t>(c.rate_limit_window_s) * 1000};
}

void limiter::count(tier t, const decision& d, bool degraded) {
  auto& c = counters_[static_cast<size_t>(t)];
  if (d.allowed) {
    ++c.allowed;
    if (static_cast<uint64_t>(d.remaining) * 5 <= d.limit) // 80 % or more of the window used
      ++c.near_limit;
  } else {
    ++c.limited;
  }
  if (degraded)
    ++c.degraded;
}

void limiter::answer_headers(const http::responder& reply, const decision& d, bool degraded) const {
  reply.add_header_lines(rate_headers(d, window_s_, degraded));
  if (!d.allowed)
    reply.fail(make_retry_error(errc::rate_limited, "rate limit exceeded, retry later",
                                retry_after_seconds(d)));
}

void limiter::admit(http::exchange& ex, const http::handler& inner, bool json_body,
                    key_scope scope) {
  self_ = ex.self;
  auto s = identify(ex, scope);
  if (s.refused) {
    count(s.t, *s.refused, false);
    answer_headers(ex.reply, *s.refused, false);
    return;
  }
  auto out = table_.take(s.key, s.policy, now_ms());
  if (out.v == verdict::wait) {
    park(ex, inner, json_body, s);
    if (out.lease)
      send(std::move(*out.lease));
    return;
  }
  count(s.t, out.d, out.degraded);
  answer_headers(ex.reply, out.d, out.degraded); // before the handler: it may answer at once
  if (out.d.allowed)
    inner(ex);
}

void limiter::park(http::exchange& ex, const http::handler& inner, bool json_body,
                   const subject& s) {
  ++waited_;
  parked p{std::make_shared<http::request>(ex.req),
           ex.route,
           std::string{ex.remote},
           ex.timeout,
           ex.reply,
           inner,
           json_body,
           s.t};
  // The route's params point into the original path: point them into the copy.
  const char* base = ex.req.path.data();
  std::string_view path{p.req->path};
  for (auto& [name, value] : p.match.params)
    value = path.substr(static_cast<size_t>(value.data() - base), value.size());
  parked_[s.key].push_back(std::move(p));
}

void limiter::resume(parked& p, const decision& d, bool degraded) {
  count(p.t, d, degraded);
  answer_headers(p.reply, d, degraded);
  if (!d.allowed || self_ == nullptr)
    return;
  simdjson::dom::element body;
  const simdjson::dom::element* json = nullptr;
  if (p.json_body && !p.req->body.empty()) {
    if (json_.parse(p.req->body).get(body) != simdjson::SUCCESS)
      return p.reply.send(http::error_response(
          400, "invalid_json", "request body is not valid JSON", p.reply.request_id()));
    json = &body;
  }
  http::exchange ex{self_, *p.req, p.match, json, p.remote, p.timeout, p.reply};
  try {
    p.inner(ex);
  } catch (const std::exception&) {
    log::error("handler threw", {{"request_id", p.reply.request_id()}});
    p.reply.send(http::error_response(500, "internal", "internal error", p.reply.request_id()));
  }
}

void limiter::settle(const std::string& key, settled s) {
  auto i = parked_.find(key);
  for (auto& d : s.decisions) {
    if (i == parked_.end() || i->second.empty())
      break;
    auto p = std::move(i->second.front());
    i->second.pop_front();
    resume(p, d, s.degraded);
  }
  if (i != parked_.end() && i->second.empty())
    parked_.erase(i);
  if (s.next)
    send(std::move(*s.next));
}

void limiter::send(lease_order o) {
  if (self_ == nullptr)
    return;
  ++orders_[o.want > 0 ? 0 : o.want < 0 ? 1 : 2];
  redis_script_call call{std::string{lease_script_name},
                         {o.key},
                         {number(o.policy.interval_ms()), std::to_string(o.policy.window_ms),
                          std::to_string(o.want), std::to_string(o.charge)}};
  auto me = shared_from_this();
  auto key = o.key;
  bool waiting = o.waiting;
  self_->request(deps_.redis, lease_timeout, std::move(call))
      .then(
          [me, key, waiting](redis_reply& r) {
            lease_grant g;
            if (!parse_grant(r, g)) {
              ++me->lease_failures_;
              if (r.kind == redis_reply::error_kind)
                log::warn("rate lease script failed", {{"error", r.str.substr(0, 200)}});
              if (waiting)
                me->settle(key, me->table_.on_failure(key, now_ms()));
              return;
            }
            if (waiting)
              me->settle(key, me->table_.on_grant(key, g, now_ms()));
            else
              me->table_.on_background(key, g, now_ms());
          },
          [me, key, waiting](caf::error&) {
            ++me->lease_failures_;
            if (waiting)
              me->settle(key, me->table_.on_failure(key, now_ms()));
          });
}

void limiter::on_status(const rate_cluster_status& s) {
  auto now = now_ms();
  table_.set_live_nodes(s.live_nodes);
  table_.set_redis_up(s.redis_up, now);
  if (now - last_sweep_ < sweep_period_ms)
    return;
  last_sweep_ = now;
  for (auto& o : table_.sweep(now))
    send(std::move(o));
}

void limiter::flush() {
  for (auto& o : table_.release_all(now_ms()))
    send(std::move(o));
}

} // namespace haven::rate
