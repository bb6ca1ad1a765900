#include "actors/moderation/categories.hpp"

namespace haven::moderation {

std::string_view to_string(category c) {
  switch (c) {
    case category::self_harm_instructions:
      return "self_harm_instructions";
    case category::violence_threat:
      return "violence_threat";
    case category::harassment:
      return "harassment";
    case category::hate:
      return "hate";
    case category::sexual_minors:
      return "sexual_minors";
    case category::pii:
      return "pii";
  }
  return "unknown";
}

std::string_view to_string(direction d) {
  return d == direction::input ? "input" : "output";
}

std::string_view to_string(action a) {
  switch (a) {
    case action::allow:
      return "allow";
    case action::redact:
      return "redact";
    case action::block:
      return "block";
  }
  return "unknown";
}

std::optional<category> category_from_string(std::string_view s) {
  for (auto c : all_categories)
    if (to_string(c) == s)
      return c;
  return std::nullopt;
}

std::optional<direction> direction_from_string(std::string_view s) {
  if (s == "input")
    return direction::input;
  if (s == "output")
    return direction::output;
  return std::nullopt;
}

} // namespace haven::moderation
