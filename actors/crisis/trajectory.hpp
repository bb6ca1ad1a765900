#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "actors/crisis/types.hpp"

// The risk trajectory of one session (API.md section 4, `session_id`). Pure
// state with an injected clock: the caller passes `now` to every call. Times
// are wall-clock (system_clock), because a session's trajectory moves between
// nodes (kept in Redis, trajectory_codec.hpp) and steady clocks differ from
// node to node; a clock that steps back only delays decay and forgetting
// (negative durations never reach a threshold). The rules, applied to each
// new message in this order:
//
// 1. Combination: the feature bits of the session's recent messages (at most
//    `window` messages, none older than `memory`) are united with the new
//    message's and mapped with the same table as one message; when that is
//    higher than both the message and the recent messages alone, it counts.
//    "I want to die" followed by "I have the pills ready" is critical, as it
//    would be in one message.
// 2. Rising run: when the last `run_length` messages (this one included) are
//    all at least low, never fall and end higher than they started
//    (low -> medium -> medium, low -> low -> medium), the level goes up one
//    step. The run never reaches critical by itself: critical needs evidence
//    of a plan, means, timeline or attempt.
// 3. Hold: the session level is the highest level reached; a calmer message
//    does not lower it. It decays one step after `calm_to_decay` consecutive
//    calmer messages, and one step per `decay_after` without an elevated
//    message. The level reported for a message is max(message, session).
//
// Escalation: `escalate` is true when the reported level is high or critical
// and higher than any level this session already escalated (while it stayed
// at high or above), or when the message itself is critical. Counselors get
// one event per rise, not one per message of a long crisis conversation.

namespace haven::crisis {

struct trajectory_config {
  size_t window = 6;
  std::chrono::seconds memory{std::chrono::minutes{60}};
  size_t run_length = 3;
  size_t calm_to_decay = 3;
  std::chrono::seconds decay_after{std::chrono::minutes{30}};
};

/// How long an untouched trajectory can still change an answer: the longer of
/// `memory` (combination) and the time decay needs to bring critical down to
/// none (4 x `decay_after`); 2 h by default. The TTL of a stored trajectory.
std::chrono::seconds trajectory_horizon(const trajectory_config& cfg);

/// Everything a trajectory remembers, to move it between nodes
/// (trajectory_codec.hpp); the config is not part of it.
struct trajectory_snapshot {
  using time_point = std::chrono::system_clock::time_point;
  struct message {
    time_point at{};
    risk_level level = risk_level::none; // the message's own level
    uint16_t features = 0;
  };
  std::vector<message> recent; // oldest first
  risk_level session = risk_level::none;
  risk_level escalated = risk_level::none;
  time_point elevated_at{};
  time_point last_seen{};
  uint32_t calm = 0;
};

bool operator==(const trajectory_snapshot& a, const trajectory_snapshot& b);
inline bool operator!=(const trajectory_snapshot& a, const trajectory_snapshot& b) {
  return !(a == b);
}

struct trajectory_step {
  risk_level message_level = risk_level::none; // the message alone
  risk_level level = risk_level::none;         // what to report for this message
  risk_level session_level = risk_level::none; // held level after this message
  bool raised_by_combination = false;
  bool raised_by_run = false;
  bool held = false; // `level` comes from the session, above this message's own
  bool escalate = false;
};

class trajectory {
 public:
  using clock = std::chrono::system_clock;

  explicit trajectory(trajectory_config cfg = {}) : cfg_(cfg) {}
  /// A trajectory that continues from `s` (e.g. read from another node).
  trajectory(const trajectory_snapshot& s, trajectory_config cfg);

  /// Records one scored message of the session at `now` (wall clock).
  trajectory_step observe(const assessment& a, clock::time_point now);

  /// The session level at `now`, after time decay.
  risk_level level(clock::time_point now) const;

  size_t size() const { return recent_.size(); }
  clock::time_point last_seen() const { return last_seen_; }
  trajectory_snapshot snapshot() const;

 private:
  struct entry {
    clock::time_point at;
    risk_level level; // the message's own level
    uint16_t features;
  };

  risk_level decayed(clock::time_point now, clock::time_point& elevated_at) const;
  bool rising_run(risk_level current) const;

  trajectory_config cfg_;
  std::deque<entry> recent_; // newest last
  risk_level session_ = risk_level::none;
  risk_level escalated_ = risk_level::none; // highest level escalated while held
  clock::time_point elevated_at_{};         // last time the session level was reached or renewed
  clock::time_point last_seen_{};
  size_t calm_ = 0;
};

} // namespace haven::crisis
