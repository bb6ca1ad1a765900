#pragma once

// Internals of the bus actor (bus.cpp, bus_publish.cpp); not for other folders.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "io/nats/bus.hpp"
#include "io/nats/callbacks.hpp"
#include "io/nats/connection.hpp"
#include "io/nats/flusher.hpp"
#include "io/nats/pending.hpp"

namespace haven::nats {

using timeout_atom = caf::atom_constant<caf::atom("natstmo")>;
constexpr timeout_atom timeout_atom_v = timeout_atom{};

/// The public interface plus what NATS threads and timers tell the actor.
using bus_impl =
    bus_actor::extend<caf::reacts_to<conn_atom, bool>,
                      caf::reacts_to<inbox_atom, uint64_t, uint32_t, bool, bus_message>,
                      caf::reacts_to<timeout_atom, uint64_t>, caf::reacts_to<tick_atom>>;

/// How event subjects are published: unknown until the stream check answered.
enum class js_mode : uint8_t { unknown, jetstream, core };

struct bus_subscription {
  natsSubscription* sub = nullptr;
  caf::actor_addr listener;
};

struct bus_state {
  std::shared_ptr<connection> conn; // null when the settings were unusable
  std::string prefix;
  bus_options opts;
  flusher_actor flusher;
  std::string inbox; // "_INBOX.<nuid>." — replies come back as <inbox><op>.<index>
  natsSubscription* inbox_sub = nullptr;
  pending_ops ops;
  js_mode mode = js_mode::unknown;
  bool ensuring = false;
  std::chrono::steady_clock::time_point last_ensure{};
  std::vector<std::function<void()>> js_waiters; // publishes waiting for the mode
  std::vector<bus_subscription> subs;

  bool connected() const { return conn != nullptr && conn->connected(); }

  bus_state() = default;
  bus_state(const bus_state&) = delete;
  bus_state& operator=(const bus_state&) = delete;
  ~bus_state(); // unsubscribes; the connection closes with its last owner

  static inline const char* name = "nats-bus";
};

using bus_self = bus_impl::stateful_pointer<bus_state>;

/// accepted = messages accepted from the first; err is set when it is 0.
using publish_done = std::function<void(uint32_t accepted, caf::error err)>;

/// Publishes `msgs` in order (bus_publish.cpp). Event subjects wait for the
/// JetStream mode to be known once (`waited` marks the second try).
void publish_batch(bus_self self, std::vector<bus_message> msgs, publish_done done,
                   bool waited = false);

/// Creates the events stream if needed and settles the JetStream mode.
void ensure_stream(bus_self self);

/// Sends `m` with reply subject <inbox><id>.<index>.
natsStatus send_via_inbox(bus_self self, const bus_message& m, uint64_t id, uint32_t index,
                          bool dedupe);

caf::error unavailable(std::string why);

} // namespace haven::nats
