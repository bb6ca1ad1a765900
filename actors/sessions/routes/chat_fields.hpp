#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "io/http/body_reader.hpp"
#include "messages/sessions.hpp"

// Field rules of the conversation routes (API.md section 5). Every broken rule
// becomes an issue of the body_reader, so one 422 lists them all; messages
// name the field and the rule, never the value.

namespace haven::sessions {

/// A chat message: 1..4000 characters (Unicode code points, not bytes), not
/// only white space.
inline constexpr size_t max_message_chars = 4000;

/// The fields of a chat body (`caller` is set by the route). `session_id`
/// absent or null = a new session (`is_new`, id left empty for the route to
/// fill); present = a UUID (upper case accepted, answered lower case).
chat_request read_chat(http::body_reader& b, const simdjson::dom::element* root);

/// A session id from a path or a field: the lower-case UUID, or nothing.
std::optional<std::string> normalize_uuid(std::string_view s);

/// GET .../messages?limit=&before=: limit 1..200 (default 50), before a UUID.
struct page_query {
  uint32_t limit = 50;
  std::string before; // "" = from the newest
};
inline constexpr uint32_t max_page = 200;

/// The query, or the validation error (every bad parameter listed).
std::optional<page_query> read_page(std::optional<std::string_view> limit,
                                    std::optional<std::string_view> before, caf::error& err);

} // namespace haven::sessions
