#pragma once

#include <cstdint>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "messages/bus.hpp"
#include "messages/type_ids.hpp"

// The rate limiter's contract (API.md section 2, docs/rate_limiting.md). The
// decisions themselves run on the HTTP edge's thread; the membership actor
// tells the edge how many nodes are alive (NATS heartbeats on
// `<prefix>.cluster.heartbeat`) and whether Redis is reachable.

namespace haven {
struct rate_cluster_status;
} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven_rate, caf::first_custom_type_id + 800)
CAF_ADD_TYPE_ID(haven_rate, (haven::rate_cluster_status))
CAF_ADD_ATOM(haven_rate, haven, rl_flush_atom, "rl_flush")
CAF_END_TYPE_ID_BLOCK(haven_rate)

namespace haven {

/// Pushed to the edge about every 250 ms (also its clock for idle leases).
struct rate_cluster_status {
  uint32_t live_nodes = 1; // this node included
  bool redis_up = true;    // the Redis client's circuit is closed
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, rate_cluster_status& x) {
  return f(caf::meta::type_name("rate_cluster_status"), x.live_nodes, x.redis_up);
}

/// What the edge accepts from the rate-limit family: status, and `rl_flush`
/// (at shutdown, before draining: give every unspent leased token back).
using rate_listener =
    caf::typed_actor<caf::reacts_to<rate_cluster_status>, caf::reacts_to<rl_flush_atom>>;

/// The membership actor: heartbeats in (bus_message) and its own timer.
using rate_membership_actor =
    caf::typed_actor<caf::reacts_to<bus_message>, caf::reacts_to<tick_atom>>;

} // namespace haven
