#pragma once

#include <string>
#include <string_view>

namespace haven {

/// The one place Redis key names are built: `haven:<purpose>:<id>`, e.g.
/// redis_key("revoked", jti) -> "haven:revoked:<jti>". `purpose` is a fixed
/// word chosen by the caller; `id` may contain ':' (keys are not parsed back).
///
/// Everything short-lived gets a TTL when written (SET ... PX/EX, or
/// PEXPIRE in the same pipeline or script), so nothing outlives its use when
/// a node dies mid-way. Keys may hold token ids: never log them.
std::string redis_key(std::string_view purpose, std::string_view id);

} // namespace haven
