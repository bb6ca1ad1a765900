#pragma once

#include <chrono>
#include <cstdint>

#include <caf/actor_system.hpp>

#include "messages/bus.hpp"

namespace haven::config {
struct settings;
}

namespace haven::outbox {

struct relay_options {
  std::chrono::milliseconds poll_interval{75}; // when idle (a poke skips the wait)
  uint32_t batch = 200;                        // rows per transaction
  std::chrono::milliseconds statement_timeout{2000};
  std::chrono::milliseconds publish_timeout{5000}; // the bus's answer for one batch
  std::chrono::milliseconds count_interval{1000};  // how often the depth is counted
};

/// Advisory lock key held (per transaction) by the one relaying node.
inline constexpr int64_t relay_lock_key = 0x484156454e4f5554; // "HAVENOUT"

/// Spawns the outbox relay: a detached actor with its own PostgreSQL
/// connection (settings.pg_url) that moves outbox rows to NATS through `bus`
/// in `seq` order. Each cycle is one transaction: BEGIN; the advisory lock
/// (one relaying node at a time, so events keep their order); up to `batch`
/// rows FOR UPDATE SKIP LOCKED; one batch publish through the bus (JetStream
/// acks); DELETE of the rows NATS accepted; COMMIT. When NATS is down nothing
/// is deleted and the rows wait; a crash between publish and delete re-sends
/// rows that JetStream then drops as duplicates (Nats-Msg-Id = event id).
/// Messages: `outbox` = look now (after a commit), `get, outbox` = depth.
/// Stop it with an exit message.
outbox_relay_actor spawn_outbox_relay(caf::actor_system& sys, const config::settings& cfg,
                                      bus_actor bus, relay_options opts = {});

} // namespace haven::outbox
