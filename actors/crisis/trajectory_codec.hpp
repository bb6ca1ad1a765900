#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "actors/crisis/trajectory.hpp"

// The stored form of a session's trajectory (Redis, shared by every node:
// docs/safety.md "Session trajectory"). A small versioned text, about 30 bytes
// plus about 15 per remembered message:
//
//   1;<session>;<escalated>;<calm>;<last_seen_ms>;<last_seen - elevated_at>;<messages>
//
// levels are digits 0..4 (none..critical), times are wall-clock unix
// milliseconds (steady clocks differ between nodes), message times and the
// elevated time are written as milliseconds before last_seen (negative when
// another node's clock was ahead). <messages> is a comma-separated list,
// oldest first, of <ms before last_seen>.<level>.<feature bits>, empty when
// there are none. Sub-millisecond parts of times are dropped: callers pass
// `now` rounded to milliseconds so a trajectory reads back exactly as written.
//
// Pure, no I/O. Anything malformed, out of range or of another version
// decodes to nullopt, which the crisis actor treats as no trajectory: a bad
// value can never crash a node or raise a level.

namespace haven::crisis {

constexpr char trajectory_codec_version = '1';

/// At most this many messages are read back (the rules keep `window`, 6).
constexpr size_t trajectory_codec_max_messages = 64;

std::string encode_trajectory(const trajectory_snapshot& s);

std::optional<trajectory_snapshot> decode_trajectory(std::string_view text);

} // namespace haven::crisis
