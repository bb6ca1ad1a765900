#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <simdjson.h>

#include "actors/rate_buckets/bucket_table.hpp"
#include "actors/rate_buckets/verify_budget.hpp"
#include "config/settings.hpp"
#include "io/http/exchange.hpp"
#include "messages/rate.hpp"
#include "messages/redis.hpp"

namespace haven::auth {
class auth_gate;
}

// The rate limiter as the HTTP edge sees it (API.md section 2): a wrapper
// put around route handlers at registration time, deciding on the edge's own
// thread from the bucket_table (no actor hop per request, ARCHITECTURE.md
// rule 3), and talking to Redis only to lease, give back or charge budget.

namespace haven::rate {

enum class tier : uint8_t { free, premium, admin, anon };
constexpr size_t tier_count = 4;
const char* to_string(tier t);

/// Who a request counts against: the caller (user id of a valid token, else
/// the client address) or always the client address.
enum class key_scope : uint8_t { caller, address };

struct limiter_deps {
  std::shared_ptr<const config::settings> cfg;
  redis_actor redis;
  std::shared_ptr<auth::auth_gate> gate;
};

class limiter : public std::enable_shared_from_this<limiter> {
 public:
  explicit limiter(limiter_deps d);

  /// The one place routes get limited (edge_options::decorate): every /v1/*
  /// route, by what its route_entry::limit says (own_throttle: not here).
  void decorate(http::route_entry& r);
  /// Decides before `inner` runs; waits for one lease round trip when the
  /// key has no local token; refused -> 429 rate_limited + Retry-After.
  http::handler wrap(http::handler inner, bool json_body, key_scope scope);
  /// GET /v1/auth/rate-limit (limited like the other /v1 routes; needs a token).
  http::route_entry status_route();

  /// From the membership actor (edge thread): live nodes, Redis state, clock.
  void on_status(const rate_cluster_status& s);
  /// Shutdown: unspent tokens back to Redis.
  void flush();
  /// Prometheus lines for /metrics.
  void render_metrics(std::string& out) const;

  const bucket_table& table() const { return table_; }

 private:
  struct subject {
    std::string key; // the Redis key: haven:rl:<tier>:<user id or address>
    tier t;
    rate_policy policy;
    /// Set when the address spent its budget of token checks (M1): refused
    /// with this decision before the token is looked at.
    std::optional<decision> refused;
  };
  /// A request waiting for a lease: what its handler needs, copied.
  struct parked {
    std::shared_ptr<http::request> req;
    http::route_match match; // params rebased onto req->path
    std::string remote;
    std::chrono::milliseconds timeout;
    http::responder reply;
    http::handler inner;
    bool json_body;
    tier t;
  };

  void admit(http::exchange& ex, const http::handler& inner, bool json_body, key_scope scope);
  subject identify(const http::exchange& ex, key_scope scope);
  void park(http::exchange& ex, const http::handler& inner, bool json_body, const subject& s);
  void resume(parked& p, const decision& d, bool degraded);
  void settle(const std::string& key, settled s);
  void send(lease_order o);
  void count(tier t, const decision& d, bool degraded);
  void answer_headers(const http::responder& reply, const decision& d, bool degraded) const;
  rate_policy policy_of(tier t) const;
  static int64_t now_ms();

  limiter_deps deps_;
  uint32_t window_s_;
  verify_budget token_checks_;
  bucket_table table_;
  std::unordered_map<std::string, std::deque<parked>> parked_;
  caf::io::broker* self_ = nullptr; // the edge, known from the first request
  simdjson::dom::parser json_;      // re-parses bodies of requests that waited
  int64_t last_sweep_ = 0;

  struct tier_counters {
    uint64_t allowed = 0, limited = 0, degraded = 0, near_limit = 0;
  };
  std::array<tier_counters, tier_count> counters_{};
  uint64_t waited_ = 0;
  std::array<uint64_t, 3> orders_{}; // lease, give back, charge
  uint64_t lease_failures_ = 0;
};

} // namespace haven::rate
