#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <caf/error.hpp>

// Pure mapping from PostgreSQL failures to Haven's error values (no libpq here,
// so it is unit-tested without a server).

namespace haven::pg {

/// What the pool does about a failed batch.
enum class failure : uint8_t {
  none,
  conflict,    // unique / exclusion violation: errc::conflict with the constraint name
  retry,       // serialization failure or deadlock: retry once, then errc::conflict
  unavailable, // server down, shutting down, overloaded, connection lost, timed out
  internal,    // anything else: errc::internal, SQLSTATE logged
};

/// Classifies a five-character SQLSTATE. An empty or malformed code (a
/// client-side libpq error) counts as internal.
failure classify_sqlstate(std::string_view sqlstate);

/// The error a caller receives. `constraint` is used for conflicts only.
/// Unavailable errors carry Retry-After 1 s (API.md section 1).
caf::error to_error(failure f, std::string_view constraint = {});

const char* to_string(failure f);

} // namespace haven::pg
