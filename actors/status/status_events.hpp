#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messages/bus.hpp"

// The status.updated event (API.md section 9) from its outbox entry: the
// update script (status_script.hpp) appends the entry to a Redis stream in the
// same atomic step as the change; the relay (status_relay.hpp) turns it into
// the NATS message here. Pure.

namespace haven::status {

inline constexpr std::string_view event_type = "status.updated";

/// The message for an outbox entry given as its flat field/value list (id,
/// at, node, org, rid, res, stage, status, progress, stages), or nullopt when
/// the entry is malformed (it can never be sent: the relay drops it). The
/// subject is `<prefix>.events.status.updated`; headers Haven-Event-Id and,
/// when the update had one, Haven-Request-Id; `overall` is computed from
/// `stages` with the one overall rule.
std::optional<bus_message> event_from_entry(std::string_view prefix,
                                            const std::vector<std::string>& flat);

} // namespace haven::status
