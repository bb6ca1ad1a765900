#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "actors/rate_buckets/gcra.hpp"

namespace haven::rate {

/// The headers of every rate-limited response (API.md section 2):
/// X-RateLimit-Limit / -Remaining / -Reset, the IETF draft's
/// `RateLimit-Policy: <limit>;w=<window_s>` and
/// `RateLimit: limit=<l>, remaining=<r>, reset=<s>`, and
/// `X-RateLimit-Degraded: 1` when the node decided alone (Redis away); as
/// "Name: value\r\n" lines, one string for the whole block.
std::string rate_headers(const decision& d, uint32_t window_s, bool degraded);

/// Whole seconds a refused client should wait (>= 1).
uint32_t retry_after_seconds(const decision& d);

} // namespace haven::rate
