#pragma once

namespace haven::auth {

/// Initializes libsodium once (thread-safe, idempotent). Every auth entry point
/// that touches libsodium calls it, so no caller has to remember to.
/// Aborts the process when libsodium cannot start: crypto without it is unsafe.
void ensure_sodium();

} // namespace haven::auth
