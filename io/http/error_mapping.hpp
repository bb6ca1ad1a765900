#pragma once

#include <string_view>

#include <caf/error.hpp>

#include "io/http/response.hpp"
#include "messages/errors.hpp"

namespace haven::http {

/// The one place where errors become HTTP answers (API.md section 1).
/// Domain errors (`haven::errc`) carry an optional client-safe message, and
/// optionally a details list or a Retry-After value, as their context (see
/// messages/errors.hpp). CAF's own errors (a request timeout, a dead actor)
/// become 503 overloaded / 500 internal with generic text: internals never
/// reach a client.
response map_error(const caf::error& err, std::string_view request_id);

/// The status and default message of a domain error code.
int status_of(errc code);
const char* default_message(errc code);

} // namespace haven::http
