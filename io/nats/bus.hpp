#pragma once

#include <chrono>

#include <caf/actor_system.hpp>

#include "base/backoff.hpp"
#include "messages/bus.hpp"

namespace haven::config {
struct settings;
}

namespace haven::nats {

struct bus_options {
  /// How long a publish waits for its JetStream ack (or flush).
  std::chrono::milliseconds publish_timeout{2000};
  /// Requests and publish batches awaiting replies; beyond it new ones fail
  /// at once with errc::overloaded (ARCHITECTURE.md rule 4).
  size_t max_pending = 10000;
  backoff_policy reconnect;
};

/// Spawns the node's NATS bus actor (messages/bus.hpp) on one natsConnection
/// (connection.hpp). Never fails for a down server: publish and request then
/// answer errc::dependency_unavailable at once (nothing is buffered for a
/// later reconnect) and subscriptions take effect when the server is back.
/// Event subjects (`<prefix>.events.`) are published to JetStream (stream
/// HAVEN_EVENTS, created at connect) with Nats-Msg-Id = Haven-Event-Id and
/// acknowledged only after the server's ack; without JetStream, and for every
/// other subject, a publish is acknowledged after a flush. Requests, publish
/// acks and stream checks are asynchronous (replies arrive on one inbox
/// subscription), so the actor never blocks; flushes run in a detached actor.
/// Blocks the caller for the first connect attempt (at most 1 s per URL).
/// Stop it with an exit message; it closes the connection.
bus_actor spawn_bus(caf::actor_system& sys, const config::settings& cfg, bus_options opts = {});

} // namespace haven::nats
