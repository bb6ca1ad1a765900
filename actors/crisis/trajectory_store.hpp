#pragma once

#include <list>
#include <string>
#include <unordered_map>

#include "actors/crisis/trajectory.hpp"

// The trajectories of many sessions, bounded: sessions idle longer than
// `idle_ttl` are forgotten, and beyond `max_sessions` the least recently seen
// one goes (LRU, O(1)). Single-threaded: it lives inside the one actor that
// owns these session ids (STYLE.md rule 6). Injected clock, like trajectory.

namespace haven::crisis {

class trajectory_store {
 public:
  using clock = trajectory::clock;

  trajectory_store(size_t max_sessions, std::chrono::seconds idle_ttl, trajectory_config cfg = {});

  trajectory_step observe(const std::string& session_id, const assessment& a,
                          clock::time_point now);

  /// The session's trajectory, nullptr for an unknown or expired session.
  const trajectory* find(const std::string& session_id, clock::time_point now) const;

  /// Stores `t` as the session's trajectory (e.g. the one just written to
  /// Redis), replacing the node's copy; the session becomes the most recent.
  void put(const std::string& session_id, trajectory t, clock::time_point now);

  /// The session's held level, none for an unknown or expired session.
  risk_level level(const std::string& session_id, clock::time_point now) const;

  size_t size() const { return map_.size(); }

 private:
  struct slot {
    trajectory t;
    std::list<std::string>::iterator lru; // position in lru_
  };

  void expire(clock::time_point now);
  slot& touch(const std::string& session_id); // found or inserted, now the most recent

  size_t max_;
  std::chrono::seconds ttl_;
  trajectory_config cfg_;
  std::unordered_map<std::string, slot> map_;
  std::list<std::string> lru_; // least recently seen first
};

} // namespace haven::crisis
