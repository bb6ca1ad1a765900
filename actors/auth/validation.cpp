#include "actors/auth/validation.hpp"

#include <algorithm>

namespace haven::auth {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

} // namespace

std::string normalize_email(std::string_view raw) {
  std::string out{trim(raw)};
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool valid_email(std::string_view email) {
  if (email.size() < 3 || email.size() > max_email_chars)
    return false;
  for (unsigned char c : email)
    if (is_control(c) || c == ' ' || c == '"' || c == '<' || c == '>' || c == '(' || c == ')' ||
        c == ',' || c == ';' || c == '\\' || c == '[' || c == ']')
      return false;
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return false;
  auto domain = email.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' || domain.front() == '-')
    return false;
  if (domain.find('.') == std::string_view::npos || domain.find("..") != std::string_view::npos)
    return false;
  return true;
}

bool valid_slug(std::string_view slug) {
  if (slug.size() < 3 || slug.size() > 63)
    return false;
  return std::all_of(slug.begin(), slug.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool valid_role(std::string_view role) {
  return role == "admin" || role == "counselor" || role == "user";
}

std::optional<std::string> clean_name(std::string_view raw) {
  auto s = trim(raw);
  if (s.empty())
    return std::nullopt;
  for (unsigned char c : s)
    if (is_control(c))
      return std::nullopt;
  return std::string{s};
}

bool valid_uuid(std::string_view s) {
  if (s.size() != 36)
    return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-')
        return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

} // namespace haven::auth
