#pragma once

#include <string>
#include <utility>

#include <caf/io/broker.hpp>

#include "actors/auth/auth_gate.hpp"
#include "actors/auth/routes/auth_routes.hpp"
#include "io/http/ask.hpp"
#include "io/http/body_reader.hpp"
#include "io/http/exchange.hpp"
#include "io/http/response.hpp"

// Helpers shared by the auth route files (internal).

namespace haven::auth {

/// Sends `msg` to the auth actor and answers with `status` and `encode(result)`
/// (status 204: no body), or the mapped error.
template <class T, class Encode, class... Ts>
void ask(const route_deps& d, http::exchange& ex, int status, Encode encode, Ts&&... msg) {
  http::ask<T>(ex, d.auth, status, encode, std::forward<Ts>(msg)...);
}

/// The caller as a session_ref, or nothing (the 401 is already sent).
std::optional<access_claims> caller(const route_deps& d, http::exchange& ex);

/// A password field with the rules of API.md section 3 (`required`: missing
/// is an issue); the password, or "" when it broke a rule.
std::string read_password(http::body_reader& b, std::string_view field, bool required,
                          bool check_rules);

/// An optional email: normalized, "" when absent or invalid (an issue then).
std::string read_email(http::body_reader& b, std::string_view field);

/// An optional display/organization name: trimmed, "" when absent.
std::string read_name(http::body_reader& b, std::string_view field, size_t max_chars);

/// The client address for throttles (X-Forwarded-For from trusted proxies).
std::string client_addr(const route_deps& d, const http::exchange& ex);

} // namespace haven::auth
