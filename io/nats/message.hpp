#pragma once

#include <nats/nats.h>

#include "messages/bus.hpp"

// Conversions between bus_message and natsMsg. NATS callbacks run on NATS
// threads and the natsMsg dies with natsMsg_Destroy, so incoming messages are
// copied out completely before they are handed to an actor.

namespace haven::nats {

// The header names (header_event_id, …) are in messages/bus.hpp.

/// Builds a natsMsg from `m` (its headers included). `reply` replaces
/// m.reply when not null. With `dedupe_id`, the Haven-Event-Id header value
/// (when present) is also set as Nats-Msg-Id. The caller owns *out.
natsStatus make_nats_msg(natsMsg** out, const bus_message& m, const char* reply, bool dedupe_id);

/// Copies subject, reply, headers (every value of every key) and data.
bus_message copy_nats_msg(natsMsg* msg);

/// The value of header `name` in `m`, or nullptr.
const std::string* find_header(const bus_message& m, std::string_view name);

} // namespace haven::nats
