#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

namespace haven {

/// Domain errors that actors return as values (ARCHITECTURE.md rule 7).
/// The HTTP edge maps them to statuses in io/http/error_mapping.cpp.
enum class errc : uint8_t {
  invalid_json = 1,
  validation_failed,
  unauthorized,
  invalid_credentials,
  forbidden,
  not_found,
  conflict,
  email_taken,
  slug_taken,
  invite_used,
  rate_limited,
  dependency_unavailable,
  overloaded,
  internal,
};

/// Error category atom for `errc` (CAF 0.17 errors are code + category).
constexpr caf::atom_value errc_category = caf::atom("haven");

const char* to_string(errc x);

inline caf::error make_error(errc x) {
  return {static_cast<uint8_t>(x), errc_category};
}

/// An error with a human message (safe to show clients) as context.
inline caf::error make_error(errc x, std::string message) {
  return {static_cast<uint8_t>(x), errc_category, caf::make_message(std::move(message))};
}

/// A validation error listing each field rule that was broken. The details
/// travel as one string (field and issue per line) so `caf::error` can carry them.
caf::error make_validation_error(std::string message,
                                 const std::vector<std::pair<std::string, std::string>>& issues);

/// An error that tells the client when to retry (429 and 503 answers).
inline caf::error make_retry_error(errc x, std::string message, uint32_t retry_after_s) {
  return {static_cast<uint8_t>(x), errc_category,
          caf::make_message(std::move(message), retry_after_s)};
}

/// A store conflict (a unique or exclusion violation) naming its constraint.
/// The name is for the code that maps it (e.g. users_email_key ->
/// email_taken) and travels in a slot map_error never shows: a client only
/// ever sees "conflicting record" (audit L6).
caf::error make_conflict_error(std::string constraint);

/// The constraint of a make_conflict_error error, else "".
std::string conflict_constraint(const caf::error& err);

/// Inverse of the encoding used by make_validation_error.
std::vector<std::pair<std::string, std::string>> decode_field_issues(const std::string& encoded);

} // namespace haven
