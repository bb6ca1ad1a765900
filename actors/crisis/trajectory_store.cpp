#include "actors/crisis/trajectory_store.hpp"

#include <algorithm>

namespace haven::crisis {

trajectory_store::trajectory_store(size_t max_sessions, std::chrono::seconds idle_ttl,
                                   trajectory_config cfg)
    : max_(std::max<size_t>(max_sessions, 1)), ttl_(idle_ttl), cfg_(cfg) {}

void trajectory_store::expire(clock::time_point now) {
  while (!lru_.empty()) {
    auto it = map_.find(lru_.front());
    if (now - it->second.t.last_seen() < ttl_)
      return; // the rest were seen later
    map_.erase(it);
    lru_.pop_front();
  }
}

trajectory_store::slot& trajectory_store::touch(const std::string& session_id) {
  auto it = map_.find(session_id);
  if (it == map_.end()) {
    if (map_.size() >= max_) {
      map_.erase(lru_.front());
      lru_.pop_front();
    }
    lru_.push_back(session_id);
    it = map_.emplace(session_id, slot{trajectory{cfg_}, std::prev(lru_.end())}).first;
  } else {
    lru_.splice(lru_.end(), lru_, it->second.lru); // now the most recent
  }
  return it->second;
}

trajectory_step trajectory_store::observe(const std::string& session_id, const assessment& a,
                                          clock::time_point now) {
  expire(now);
  return touch(session_id).t.observe(a, now);
}

const trajectory* trajectory_store::find(const std::string& session_id,
                                         clock::time_point now) const {
  auto it = map_.find(session_id);
  if (it == map_.end() || now - it->second.t.last_seen() >= ttl_)
    return nullptr;
  return &it->second.t;
}

void trajectory_store::put(const std::string& session_id, trajectory t, clock::time_point now) {
  expire(now);
  touch(session_id).t = std::move(t);
}

risk_level trajectory_store::level(const std::string& session_id, clock::time_point now) const {
  auto it = map_.find(session_id);
  if (it == map_.end() || now - it->second.t.last_seen() >= ttl_)
    return risk_level::none;
  return it->second.t.level(now);
}

} // namespace haven::crisis
