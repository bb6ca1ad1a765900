#include "actors/rate_buckets/bucket_table.hpp"

#include <algorithm>
#include <cmath>

namespace haven::rate {

int64_t free_tokens(const rate_policy& p, double tat, int64_t now_ms) {
  auto used = std::max(0.0, tat - static_cast<double>(now_ms));
  auto free = (static_cast<double>(p.window_ms) - used) / p.interval_ms() + 1e-9;
  return free <= 0 ? 0 : static_cast<int64_t>(std::floor(free));
}

int64_t bucket_table::lease_size(const rate_policy& p, int64_t last_free, size_t waiters) const {
  auto cap = std::max<int64_t>(1, static_cast<int64_t>(p.limit) * opts_.lease_cap_percent / 100);
  // Half of our fair share of what is left: quiet keys lease big batches (one
  // Redis call per many requests), near the limit leases shrink to 1.
  int64_t want = last_free < 0 ? cap : last_free / (2 * static_cast<int64_t>(live_));
  want = std::max<int64_t>(want, static_cast<int64_t>(std::min<size_t>(waiters, 1u << 20)));
  return std::clamp<int64_t>(want, 1, cap);
}

rate_policy bucket_table::local_policy(const rate_policy& p) const {
  return rate_policy{std::max<uint32_t>(1, p.limit / live_), p.window_ms};
}

bucket_table::bucket& bucket_table::find_or_add(const std::string& key, const rate_policy& p,
                                                int64_t now_ms) {
  auto i = buckets_.find(key);
  if (i == buckets_.end()) {
    i = buckets_.emplace(key, bucket{}).first;
    i->second.policy = p;
    i->second.last_used = now_ms;
  }
  return i->second;
}

decision bucket_table::view(const bucket& b, int64_t now_ms, bool allowed) const {
  // The cluster state as Redis last told us, our unspent tokens counted as free.
  gcra g;
  if (b.known)
    g.set_tat_ms(b.shadow_tat - b.tokens * b.policy.interval_ms());
  if (allowed)
    return g.peek(b.policy, now_ms);
  auto d = g.take(b.policy, now_ms); // on a copy: only for Retry-After
  if (d.allowed) {                   // Redis saw less than our view: retry soon
    d = g.peek(b.policy, now_ms);
    d.retry_after_s = 1;
  }
  d.allowed = false;
  return d;
}

decision bucket_table::decide_local(bucket& b, int64_t now_ms) {
  if (b.local_epoch != epoch_) {
    // Seed from the last cluster view: the window stays as used as Redis said
    // (the TAT in ms means the same share of the window at limit / n).
    b.local_epoch = epoch_;
    if (b.known)
      b.local.set_tat_ms(std::max(b.local.tat_ms(), b.shadow_tat));
    b.tokens = 0; // still counted in Redis: dropping them only under-admits
  }
  auto d = b.local.take(local_policy(b.policy), now_ms);
  if (d.allowed)
    ++b.degraded_spent;
  d.limit = b.policy.limit;
  return d;
}

lease_order bucket_table::order_for(const std::string& key, bucket& b) {
  lease_order o;
  o.key = key;
  o.policy = b.policy;
  o.want = lease_size(b.policy, b.last_free, b.waiters);
  o.charge = b.pending_charge;
  o.waiting = true;
  b.pending_charge = 0;
  b.in_flight = true;
  return o;
}

outcome bucket_table::take(const std::string& key, const rate_policy& p, int64_t now_ms) {
  auto& b = find_or_add(key, p, now_ms);
  b.last_used = now_ms;
  outcome out;
  if (degraded_) {
    out.d = decide_local(b, now_ms);
    out.v = out.d.allowed ? verdict::allowed : verdict::refused;
    out.degraded = true;
    return out;
  }
  if (b.tokens > 0) {
    --b.tokens;
    out.v = verdict::allowed;
    out.d = view(b, now_ms, true);
    return out;
  }
  if (!b.in_flight && b.known && free_tokens(b.policy, b.shadow_tat, now_ms) < 1) {
    // Redis said the window is spent: refuse without asking again. Other
    // nodes only move the TAT forward (give-backs aside), so this never admits.
    out.v = verdict::refused;
    out.d = view(b, now_ms, false);
    return out;
  }
  if (b.waiters >= opts_.max_waiters) {
    out.v = verdict::refused;
    out.d = view(b, now_ms, false);
    out.d.retry_after_s = std::max<int64_t>(1, out.d.retry_after_s);
    return out;
  }
  ++b.waiters;
  out.v = verdict::wait;
  if (!b.in_flight)
    out.lease = order_for(key, b);
  return out;
}

void bucket_table::learn(bucket& b, const lease_grant& g, int64_t now_ms) {
  // Redis's clock mapped onto ours at the moment the answer arrived.
  b.shadow_tat = g.tat_ms + static_cast<double>(now_ms - g.redis_now_ms);
  b.known = true;
}

settled bucket_table::on_grant(const std::string& key, const lease_grant& g, int64_t now_ms) {
  settled s;
  auto i = buckets_.find(key);
  if (i == buckets_.end())
    return s;
  auto& b = i->second;
  b.in_flight = false;
  learn(b, g, now_ms);
  b.tokens += static_cast<uint32_t>(std::max<int64_t>(0, g.granted));
  if (g.granted > 0)
    b.lease_at = now_ms;
  b.last_free = free_tokens(b.policy, b.shadow_tat, now_ms);
  while (b.waiters > 0 && b.tokens > 0) {
    --b.tokens;
    --b.waiters;
    s.decisions.push_back(view(b, now_ms, true));
  }
  if (b.waiters == 0)
    return s;
  if (degraded_) { // Redis went away meanwhile: the rest decide locally
    s.degraded = true;
    for (; b.waiters > 0; --b.waiters)
      s.decisions.push_back(decide_local(b, now_ms));
    return s;
  }
  if (b.last_free > 0) { // more budget than we asked for: lease again for the rest
    s.next = order_for(key, b);
    return s;
  }
  for (; b.waiters > 0; --b.waiters)
    s.decisions.push_back(view(b, now_ms, false));
  return s;
}

settled bucket_table::on_failure(const std::string& key, int64_t now_ms) {
  enter_degraded(now_ms);
  settled s;
  s.degraded = true;
  auto i = buckets_.find(key);
  if (i == buckets_.end())
    return s;
  auto& b = i->second;
  b.in_flight = false;
  for (; b.waiters > 0; --b.waiters)
    s.decisions.push_back(decide_local(b, now_ms));
  return s;
}

void bucket_table::on_background(const std::string& key, const lease_grant& g, int64_t now_ms) {
  auto i = buckets_.find(key);
  if (i != buckets_.end() && !i->second.in_flight)
    learn(i->second, g, now_ms);
}

decision bucket_table::peek(const std::string& key, const rate_policy& p, int64_t now_ms) const {
  auto i = buckets_.find(key);
  if (i == buckets_.end()) {
    gcra fresh;
    return fresh.peek(p, now_ms);
  }
  auto& b = i->second;
  if (degraded_ && b.local_epoch == epoch_) {
    auto d = b.local.peek(local_policy(b.policy), now_ms);
    d.limit = b.policy.limit;
    return d;
  }
  return view(b, now_ms, true);
}

void bucket_table::enter_degraded(int64_t now_ms) {
  hold_until_ = now_ms + opts_.degraded_hold_ms;
  if (degraded_)
    return;
  degraded_ = true;
  ++epoch_;
}

void bucket_table::set_redis_up(bool up, int64_t now_ms) {
  if (!up) {
    enter_degraded(now_ms);
    return;
  }
  if (!degraded_ || now_ms < hold_until_)
    return;
  degraded_ = false;
  for (auto& [key, b] : buckets_) {
    if (b.degraded_spent == 0)
      continue;
    // What we admitted alone and is still inside the window goes into Redis
    // before anything is leased again: no burst when the shared budget resumes.
    auto lp = local_policy(b.policy);
    auto in_window =
        std::ceil(std::max(0.0, b.local.tat_ms() - static_cast<double>(now_ms)) / lp.interval_ms());
    b.pending_charge += std::min(b.degraded_spent, static_cast<int64_t>(in_window));
    b.degraded_spent = 0;
    b.known = false; // Redis may have restarted empty: ask again
    b.last_free = -1;
  }
}

std::vector<lease_order> bucket_table::sweep(int64_t now_ms) {
  std::vector<lease_order> out;
  for (auto i = buckets_.begin(); i != buckets_.end();) {
    auto& b = i->second;
    if (!degraded_ && !b.in_flight) {
      bool idle = now_ms - b.last_used >= opts_.idle_giveback_ms;
      bool contended = b.last_free >= 0 && b.last_free * 2 < static_cast<int64_t>(b.policy.limit);
      bool old = now_ms - b.lease_at >= b.policy.window_ms;
      if (b.tokens > 0 && ((idle && contended) || old)) {
        out.push_back(
            {i->first, b.policy, -static_cast<int64_t>(b.tokens), b.pending_charge, false});
        b.shadow_tat -= b.tokens * b.policy.interval_ms();
        b.tokens = 0;
        b.pending_charge = 0;
      } else if (b.pending_charge > 0) {
        out.push_back({i->first, b.policy, 0, b.pending_charge, false});
        b.pending_charge = 0;
      }
    }
    bool refilled = (!b.known || b.shadow_tat <= now_ms) && b.local.tat_ms() <= now_ms;
    if (refilled && b.tokens == 0 && !b.in_flight && b.waiters == 0 && b.pending_charge == 0 &&
        b.degraded_spent == 0 && now_ms - b.last_used >= opts_.idle_giveback_ms)
      i = buckets_.erase(i);
    else
      ++i;
  }
  return out;
}

std::vector<lease_order> bucket_table::release_all(int64_t) {
  std::vector<lease_order> out;
  if (degraded_)
    return out;
  for (auto& [key, b] : buckets_) {
    if (b.tokens == 0 && b.pending_charge == 0)
      continue;
    out.push_back({key, b.policy, -static_cast<int64_t>(b.tokens), b.pending_charge, false});
    b.tokens = 0;
    b.pending_charge = 0;
  }
  return out;
}

uint32_t bucket_table::tokens(const std::string& key) const {
  auto i = buckets_.find(key);
  return i == buckets_.end() ? 0 : i->second.tokens;
}

size_t bucket_table::waiting(const std::string& key) const {
  auto i = buckets_.find(key);
  return i == buckets_.end() ? 0 : i->second.waiters;
}

} // namespace haven::rate
