#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/rate_buckets/gcra.hpp"

// Per-key rate-limit state of one node (docs/rate_limiting.md). Pure: no
// actors, no I/O, the caller passes `now` (ms, a monotonic clock) and carries
// out the Redis orders it returns. One instance lives on the HTTP edge's
// thread, which serializes every decision: that single thread is the "one
// owner per key" the issue asks for, without a message hop per request.
//
// Normal mode: a request spends a token leased from the cluster budget in
// Redis; with none left it waits for one lease round trip (requests of one
// key share one lease in flight). Every admitted request was granted by Redis.
// Degraded mode (Redis unreachable): each node decides alone with
// limit / live nodes, seeded from the last known cluster state.

namespace haven::rate {

/// A Redis operation on one key's cluster budget (lease_script.hpp).
struct lease_order {
  std::string key;
  rate_policy policy;
  int64_t want = 0;     // > 0 tokens asked for, < 0 tokens given back, 0 none
  int64_t charge = 0;   // tokens admitted while degraded, added first
  bool waiting = false; // requests wait for the answer (else: background)
};

/// The script's answer.
struct lease_grant {
  int64_t granted = 0;
  double tat_ms = 0;        // Redis TAT after the operation, Redis clock
  int64_t redis_now_ms = 0; // Redis TIME when it ran
};

enum class verdict : uint8_t { allowed, refused, wait };

struct outcome {
  verdict v = verdict::wait;
  decision d; // unless wait
  bool degraded = false;
  std::optional<lease_order> lease; // to send now
};

/// Decisions for requests that waited on a lease, oldest first; the rest
/// keep waiting for `next`.
struct settled {
  std::vector<decision> decisions;
  bool degraded = false;
  std::optional<lease_order> next;
};

struct table_options {
  uint32_t lease_cap_percent = 10; // largest lease, in % of the limit (>= 1 token)
  int64_t idle_giveback_ms = 1000; // unused tokens of a contended key go back after this
  int64_t degraded_hold_ms = 1000; // after a failed lease, stay degraded at least this long
  size_t max_waiters = 1024;       // per key; more are refused at once
};

class bucket_table {
 public:
  explicit bucket_table(table_options o = {}) : opts_(o) {}

  /// One request for `key`.
  outcome take(const std::string& key, const rate_policy& p, int64_t now_ms);
  /// The answer to the waiting lease of `key`.
  settled on_grant(const std::string& key, const lease_grant& g, int64_t now_ms);
  /// The waiting lease of `key` failed: degraded mode; waiters decided locally.
  settled on_failure(const std::string& key, int64_t now_ms);
  /// The answer to a background order (give back, charge): refreshes the view.
  void on_background(const std::string& key, const lease_grant& g, int64_t now_ms);
  /// What a request would see now, without spending (GET /v1/auth/rate-limit).
  decision peek(const std::string& key, const rate_policy& p, int64_t now_ms) const;

  /// Membership (NATS heartbeats); at least 1 (this node).
  void set_live_nodes(uint32_t n) { live_ = n == 0 ? 1 : n; }
  uint32_t live_nodes() const { return live_; }
  /// Redis circuit state; down enters degraded mode, up leaves it (after the hold).
  void set_redis_up(bool up, int64_t now_ms);
  bool degraded() const { return degraded_; }

  /// About once a second: gives back idle leases, charges degraded spend,
  /// forgets keys that are fully refilled.
  std::vector<lease_order> sweep(int64_t now_ms);
  /// At shutdown: every unspent token back.
  std::vector<lease_order> release_all(int64_t now_ms);

  size_t size() const { return buckets_.size(); }
  uint32_t tokens(const std::string& key) const;
  size_t waiting(const std::string& key) const;
  /// The lease size for a key given the free budget seen last (-1: unknown).
  int64_t lease_size(const rate_policy& p, int64_t last_free, size_t waiters) const;

 private:
  struct bucket {
    rate_policy policy;
    uint32_t tokens = 0;   // leased, unspent
    bool known = false;    // shadow_tat came from Redis
    double shadow_tat = 0; // Redis TAT on our clock (counts our unspent tokens)
    int64_t lease_at = 0;  // when tokens were last granted
    int64_t last_used = 0;
    int64_t last_free = -1; // free cluster tokens right after our last grant
    bool in_flight = false;
    size_t waiters = 0;
    gcra local;                 // degraded decisions
    uint64_t local_epoch = 0;   // degraded epoch `local` was seeded in
    int64_t degraded_spent = 0; // admitted while degraded
    int64_t pending_charge = 0; // to add to Redis once it is back
  };

  bucket& find_or_add(const std::string& key, const rate_policy& p, int64_t now_ms);
  decision view(const bucket& b, int64_t now_ms, bool allowed) const;
  decision decide_local(bucket& b, int64_t now_ms);
  lease_order order_for(const std::string& key, bucket& b);
  void enter_degraded(int64_t now_ms);
  void learn(bucket& b, const lease_grant& g, int64_t now_ms);
  rate_policy local_policy(const rate_policy& p) const;

  table_options opts_;
  std::unordered_map<std::string, bucket> buckets_;
  uint32_t live_ = 1;
  bool degraded_ = false;
  uint64_t epoch_ = 0;
  int64_t hold_until_ = 0;
};

/// Free tokens in a GCRA window whose TAT is `tat` at `now` (>= 0).
int64_t free_tokens(const rate_policy& p, double tat, int64_t now_ms);

} // namespace haven::rate
