#pragma once

#include <string_view>

// Whitespace as C's isspace in the "C" locale, without the locale lookup.

namespace haven {

constexpr bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// `s` without leading and trailing ASCII whitespace.
constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back()))
    s.remove_suffix(1);
  return s;
}

} // namespace haven
