#include "actors/crisis/routes/safety_fields.hpp"

#include "actors/moderation/categories.hpp"

namespace haven::crisis {

namespace {

bool alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool alnum(char c) {
  return alpha(c) || (c >= '0' && c <= '9');
}

} // namespace

bool valid_locale(std::string_view s) {
  if (s.empty() || s.size() > 35)
    return false;
  size_t i = 0;
  bool first = true;
  while (i <= s.size()) {
    size_t end = s.find('-', i);
    if (end == std::string_view::npos)
      end = s.size();
    auto part = s.substr(i, end - i);
    if (first ? (part.size() < 2 || part.size() > 3) : (part.empty() || part.size() > 8))
      return false;
    for (char c : part)
      if (first ? !alpha(c) : !alnum(c))
        return false;
    first = false;
    i = end + 1;
  }
  return true;
}

bool valid_session_id(std::string_view s) {
  if (s.empty() || s.size() > 128)
    return false;
  for (char c : s)
    if (!alnum(c) && c != '.' && c != '_' && c != ':' && c != '-')
      return false;
  return true;
}

std::string read_text(http::body_reader& b) {
  bool present = b.has("text");
  // Characters are at most bytes: the byte rule below is the binding one.
  auto text = b.optional_string("text", max_text_bytes);
  if (!present) {
    b.add_issue("text", "required", "text: is required");
    return {};
  }
  if (!text)
    return {}; // wrong type or over 8192 characters: already an issue
  if (text->size() > max_text_bytes) {
    b.add_issue("text", "too_long", "text: must be at most 8192 bytes");
    return {};
  }
  if (text->empty()) {
    b.add_issue("text", "required", "text: must not be empty");
    return {};
  }
  return std::move(*text);
}

std::string read_locale(http::body_reader& b) {
  auto locale = b.optional_string("locale", 64);
  if (!locale)
    return {};
  if (!valid_locale(*locale)) {
    b.add_issue("locale", "invalid", "locale: must be a language tag such as en or sw-KE");
    return {};
  }
  return std::move(*locale);
}

std::string read_session_id(http::body_reader& b) {
  auto id = b.optional_string("session_id", 256);
  if (!id)
    return {};
  if (!valid_session_id(*id)) {
    b.add_issue("session_id", "invalid", "session_id: must be 1..128 of A-Z a-z 0-9 . _ : -");
    return {};
  }
  return std::move(*id);
}

crisis_detect_request read_detect(http::body_reader& b) {
  crisis_detect_request r;
  r.text = read_text(b);
  r.locale = read_locale(b);
  r.session_id = read_session_id(b);
  return r;
}

moderation_request read_validate(http::body_reader& b) {
  moderation_request r;
  r.text = read_text(b);
  auto dir = b.optional_string("direction", 16);
  if (!b.has("direction"))
    b.add_issue("direction", "required", "direction: is required");
  else if (dir && !moderation::direction_from_string(*dir))
    b.add_issue("direction", "invalid", "direction: must be input or output");
  r.direction = dir.value_or(std::string{});
  return r;
}

} // namespace haven::crisis
