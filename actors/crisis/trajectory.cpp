#include "actors/crisis/trajectory.hpp"

#include <algorithm>

#include "actors/crisis/levels.hpp"

namespace haven::crisis {

std::chrono::seconds trajectory_horizon(const trajectory_config& cfg) {
  // Four steps of time decay bring critical down to none.
  auto decay = cfg.decay_after.count() > 0 ? cfg.decay_after * 4 : std::chrono::seconds{0};
  return std::max({cfg.memory, decay, std::chrono::seconds{60}});
}

bool operator==(const trajectory_snapshot& a, const trajectory_snapshot& b) {
  if (a.recent.size() != b.recent.size())
    return false;
  for (size_t i = 0; i < a.recent.size(); ++i) {
    auto& x = a.recent[i];
    auto& y = b.recent[i];
    if (x.at != y.at || x.level != y.level || x.features != y.features)
      return false;
  }
  return a.session == b.session && a.escalated == b.escalated && a.elevated_at == b.elevated_at &&
         a.last_seen == b.last_seen && a.calm == b.calm;
}

trajectory::trajectory(const trajectory_snapshot& s, trajectory_config cfg)
    : cfg_(cfg), session_(s.session), escalated_(s.escalated), elevated_at_(s.elevated_at),
      last_seen_(s.last_seen), calm_(s.calm) {
  for (auto& m : s.recent)
    recent_.push_back(entry{m.at, m.level, m.features});
}

trajectory_snapshot trajectory::snapshot() const {
  trajectory_snapshot s;
  s.recent.reserve(recent_.size());
  for (auto& e : recent_)
    s.recent.push_back({e.at, e.level, e.features});
  s.session = session_;
  s.escalated = escalated_;
  s.elevated_at = elevated_at_;
  s.last_seen = last_seen_;
  s.calm = static_cast<uint32_t>(calm_);
  return s;
}

risk_level trajectory::decayed(clock::time_point now, clock::time_point& elevated_at) const {
  risk_level s = session_;
  elevated_at = elevated_at_;
  if (cfg_.decay_after.count() <= 0)
    return s;
  while (s != risk_level::none && now - elevated_at >= cfg_.decay_after) {
    s = lower(s);
    elevated_at += cfg_.decay_after;
  }
  return s;
}

risk_level trajectory::level(clock::time_point now) const {
  clock::time_point ignored;
  return decayed(now, ignored);
}

bool trajectory::rising_run(risk_level current) const {
  size_t n = cfg_.run_length;
  if (n < 2 || recent_.size() + 1 < n)
    return false;
  risk_level first = recent_[recent_.size() - (n - 1)].level;
  risk_level prev = first;
  for (size_t k = recent_.size() - (n - 1); k <= recent_.size(); ++k) {
    risk_level x = k < recent_.size() ? recent_[k].level : current;
    if (x < risk_level::low || x < prev)
      return false;
    prev = x;
  }
  return current > first;
}

trajectory_step trajectory::observe(const assessment& a, clock::time_point now) {
  trajectory_step step;
  step.message_level = a.level;
  last_seen_ = now;
  session_ = decayed(now, elevated_at_);
  escalated_ = std::min(escalated_, session_);
  while (!recent_.empty() && (now - recent_.front().at > cfg_.memory ||
                              recent_.size() >= std::max<size_t>(cfg_.window, 1)))
    recent_.pop_front();

  // 1. Combination with the recent messages.
  uint16_t before = 0;
  for (const entry& e : recent_)
    before |= e.features;
  risk_level united = level_from_features(before | a.features);
  risk_level effective = a.level;
  if (united > std::max(a.level, level_from_features(before))) {
    effective = united;
    step.raised_by_combination = true;
  }

  // 2. A rising run goes one step up, never to critical by itself.
  if (rising_run(a.level) && raise(a.level) <= risk_level::high && raise(a.level) > effective) {
    effective = raise(a.level);
    step.raised_by_run = true;
  }

  // 3. Hold and decay.
  if (effective >= session_) {
    session_ = effective;
    elevated_at_ = now;
    calm_ = 0;
  } else if (++calm_ >= cfg_.calm_to_decay) {
    session_ = lower(session_);
    elevated_at_ = now;
    calm_ = 0;
  }
  step.session_level = session_;
  step.level = std::max(effective, session_);
  step.held = session_ > effective;
  step.escalate = step.level >= risk_level::high &&
                  (step.level > escalated_ || a.level == risk_level::critical);
  if (step.escalate)
    escalated_ = std::max(escalated_, step.level);
  recent_.push_back(entry{now, a.level, a.features});
  return step;
}

} // namespace haven::crisis
