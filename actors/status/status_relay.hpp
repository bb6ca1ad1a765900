#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include <caf/actor_system.hpp>

#include "actors/status/status_metrics.hpp"
#include "messages/bus.hpp"
#include "messages/redis.hpp"
#include "messages/status.hpp"

namespace haven::config {
struct settings;
}

namespace haven::status {

struct relay_options {
  std::chrono::milliseconds poll_interval{500};   // when idle (a poke skips the wait)
  std::chrono::milliseconds retry_interval{1000}; // after Redis or NATS failed
  /// An entry another consumer (a node that died) has held this long unacked
  /// is taken over; looked for every claim_interval.
  std::chrono::milliseconds claim_idle{15000};
  std::chrono::milliseconds claim_interval{5000};
  uint32_t batch = 100; // entries per read and per publish
  std::chrono::milliseconds publish_timeout{5000};
};

/// Spawns the relay of the status outbox (status_script.hpp): a scheduled
/// actor that never blocks. Each node's relay is a consumer (named by its node
/// id) of one consumer group on the outbox stream, so each entry goes to one
/// node. A cycle: the entries this consumer holds unacknowledged (earlier
/// failures, or taken over from a dead node), else new ones; one batch
/// publish through the bus (JetStream acks; Nats-Msg-Id = event id); then
/// XACK + XDEL of the entries NATS accepted, and the next cycle at once. NATS
/// or Redis down: nothing is acknowledged, the entries wait, retried every
/// retry_interval. A crash between publish and XACK re-sends them (consumers
/// deduplicate by event id). Counts into `metrics` (and reads the outbox
/// depth with each idle poll). Stop it with an exit message.
status_relay_actor spawn_status_relay(caf::actor_system& sys, const config::settings& cfg,
                                      redis_actor redis, bus_actor bus,
                                      std::shared_ptr<status_metrics> metrics,
                                      relay_options opts = {});

} // namespace haven::status
