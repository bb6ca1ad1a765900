#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "io/http/body_reader.hpp"
#include "messages/safety.hpp"

// Field rules shared by the safety routes (crisis and moderation; API.md
// section 4). Every broken rule becomes an issue of the body_reader, so one
// 422 lists them all. Messages name the field and the rule, never the value.

namespace haven::crisis {

/// The text of a request: at most 8 KiB of UTF-8 (bytes: the contract's
/// unit), at least one character. The body limit (64 KiB, 413) comes first.
inline constexpr size_t max_text_bytes = 8 * 1024;

/// The required "text" field; "" when it broke a rule.
std::string read_text(http::body_reader& b);

/// An optional BCP 47-ish locale ("en", "sw-KE", "sw-Latn-KE"), lower-cased
/// language; "" when absent.
std::string read_locale(http::body_reader& b);

/// An optional client session id: 1..128 of [A-Za-z0-9._:-]; "" when absent.
std::string read_session_id(http::body_reader& b);

/// The fields of a detect / validate body (the caller is set by the edge).
/// Shared by the HTTP routes and the NATS ingress: one set of rules.
crisis_detect_request read_detect(http::body_reader& b);
moderation_request read_validate(http::body_reader& b);

bool valid_locale(std::string_view s);
bool valid_session_id(std::string_view s);

} // namespace haven::crisis
