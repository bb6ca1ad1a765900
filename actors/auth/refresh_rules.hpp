#pragma once

#include <cstdint>

// What to do with a presented refresh token (API.md section 3), pure. The
// auth actor first tries an atomic rotate-and-insert in PostgreSQL; when that
// matched no row, it reads the token's row and asks `judge_refresh`.

namespace haven::auth {

/// The stored state of a presented token's row.
struct refresh_row {
  bool found = false;
  bool rotated = false; // a newer token of the family was issued from it
  bool revoked = false; // the family (or this token) was revoked
  bool expired = false;
};

enum class refresh_verdict : uint8_t {
  rotate,                  // valid: issue the next token of the family
  reject,                  // 401: unknown, expired or revoked
  reject_and_revoke_family // 401: an already-rotated token came back: theft
};

/// A rotated token that is presented again means two parties hold the
/// family: revoke it all (newest token included), even when the old token
/// has expired meanwhile. A family that is already revoked needs nothing more.
inline refresh_verdict judge_refresh(const refresh_row& r) {
  if (!r.found || r.revoked)
    return refresh_verdict::reject;
  if (r.rotated)
    return refresh_verdict::reject_and_revoke_family;
  if (r.expired)
    return refresh_verdict::reject;
  return refresh_verdict::rotate;
}

} // namespace haven::auth
