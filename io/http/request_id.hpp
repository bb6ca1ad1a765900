#pragma once

#include <string_view>

#include "base/uuid.hpp"

namespace haven::http {

/// API.md section 1: a client's X-Request-ID is kept when it matches
/// [A-Za-z0-9._-]{1,128}; anything else is replaced by a fresh id.
bool is_valid_request_id(std::string_view id);

/// Fresh request ids: unique, not secret, made on every request.
using request_id_generator = fast_uuid_generator;

} // namespace haven::http
