#pragma once

#include <cstdint>
#include <string_view>

#include <caf/actor_addr.hpp>
#include <caf/atom.hpp>
#include <nats/nats.h>

// The C callbacks of the bus's subscriptions. They run on NATS threads: they
// copy the message out, caf::anon_send it, and destroy the natsMsg. Their
// closures are heap objects freed by the subscription's on-complete callback,
// which libnats runs after the last message callback of a closed subscription.

namespace haven::nats {

/// (inbox_atom, op id, index, no_responders, bus_message) to the bus actor.
using inbox_atom = caf::atom_constant<caf::atom("natsinbox")>;
constexpr inbox_atom inbox_atom_v = inbox_atom{};

struct inbox_ctx {
  size_t prefix_len = 0; // length of "_INBOX.<nuid>."
  caf::actor_addr bus;   // weak: the subscription must not keep the actor alive
};

struct listener_ctx {
  caf::actor_addr listener; // weak, see above
};

/// Reads "<id>.<index>" after the first `prefix_len` characters of `subject`.
bool parse_inbox_suffix(std::string_view subject, size_t prefix_len, uint64_t& id, uint32_t& index);

void on_inbox_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure);
void on_listener_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure);

template <class Ctx>
void delete_ctx(void* closure) {
  delete static_cast<Ctx*>(closure);
}

} // namespace haven::nats
