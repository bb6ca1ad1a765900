#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The change feed's opaque cursor (API.md section 6): base64url of the
// feed position (a per-user sequence number, 8 bytes big-endian) and a 4-byte
// check (BLAKE2b over a context string, the user id and the position). The
// check turns an edited or truncated cursor, or another user's, into a 422
// instead of a silently wrong page; it is not a secret (a client learns
// nothing from forging a position of its own feed).

namespace haven::sync {

std::string encode_cursor(std::string_view user_id, int64_t seq);

/// The position, or nothing when `text` is not a cursor this user was given.
std::optional<int64_t> decode_cursor(std::string_view user_id, std::string_view text);

} // namespace haven::sync
