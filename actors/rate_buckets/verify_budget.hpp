#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "actors/rate_buckets/gcra.hpp"

namespace haven::rate {

/// How many never-seen access tokens one client address may have this node
/// check per second (audit M1). An Ed25519 check costs ~105 µs of the edge's
/// only thread; without this a client sending forged signatures, each new,
/// buys that much CPU per request whatever its rate limit says. Node-local on
/// purpose: it protects this node's CPU, not a cluster-wide quota.
///
/// Bounded: at most `max_keys` addresses are tracked; when the table is full
/// of live entries a new address is allowed untracked (memory stays bounded,
/// the Ed25519 cost of that request is paid once). Pure: the caller passes
/// the clock.
class verify_budget {
 public:
  /// `per_second` checks per address, with a burst of five seconds' worth.
  verify_budget(uint32_t per_second, size_t max_keys = 100000);

  /// Spends one check for `address` at `now_ms`.
  decision take(std::string_view address, int64_t now_ms);

  size_t size() const { return keys_.size(); }
  uint64_t refused() const { return refused_; }

 private:
  void sweep(int64_t now_ms);

  rate_policy policy_;
  size_t max_keys_;
  std::unordered_map<std::string, gcra> keys_;
  int64_t last_sweep_ms_ = 0;
  uint64_t refused_ = 0;
};

} // namespace haven::rate
