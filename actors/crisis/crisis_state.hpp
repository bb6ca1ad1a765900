#pragma once

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/crisis/crisis_actor.hpp"
#include "actors/crisis/trajectory_store.hpp"

// Internal to the crisis actor (crisis_actor.cpp: detect; crisis_events.cpp:
// the counselor's list and ack).

namespace haven::crisis {

struct crisis_state {
  crisis_deps d;
  trajectory_config trajectories{};
  // The node's copy of its sessions' trajectories: the first guess of the
  // Redis call, and the trajectory itself while Redis is unavailable.
  trajectory_store sessions{100'000, std::chrono::hours{2}, trajectories};
  // The last event of each escalated session (by shard_key), so a session held
  // at high answers with that event instead of a new one per message. Redis
  // holds the cluster's copy (session_sync.hpp); this one serves while it is
  // unavailable.
  std::unordered_map<std::string, std::string> session_events;
  static inline const char* name = "crisis";
};

using crisis_self = crisis_actor::stateful_pointer<crisis_state>;

/// Deadline for one store round trip (the pool has its own, shorter one).
std::chrono::milliseconds store_timeout(crisis_self self);

caf::typed_response_promise<std::vector<crisis_event_view>>
on_list_events(crisis_self self, session_ref& caller, std::string& status);
caf::typed_response_promise<crisis_event_view> on_ack_event(crisis_self self, session_ref& caller,
                                                            std::string& id, std::string& note);

} // namespace haven::crisis
