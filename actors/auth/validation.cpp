#include "actors/auth/validation.hpp"
#include "base/text.hpp"

#include <algorithm>

namespace haven::auth {

namespace {

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

// UTF-8 spaces and invisible characters a copy-paste brings along (L3): NBSP,
// U+1680, U+2000..U+200B, U+2028/2029, U+202F, U+205F, U+3000, BOM.
constexpr std::string_view unicode_spaces[] = {
    "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82",
    "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87",
    "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\x8B", "\xE2\x80\xA8",
    "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80", "\xEF\xBB\xBF"};

// Trims ASCII and Unicode spaces at both ends.
std::string_view trim_unicode(std::string_view s) {
  for (bool again = true; again;) {
    s = trim(s);
    again = false;
    for (auto u : unicode_spaces) {
      if (s.size() >= u.size() && s.substr(0, u.size()) == u) {
        s.remove_prefix(u.size());
        again = true;
      }
      if (s.size() >= u.size() && s.substr(s.size() - u.size()) == u) {
        s.remove_suffix(u.size());
        again = true;
      }
    }
  }
  return s;
}

} // namespace

std::string normalize_email(std::string_view raw) {
  std::string out{trim_unicode(raw)};
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool valid_email(std::string_view email) {
  if (email.size() < 3 || email.size() > max_email_chars)
    return false;
  for (unsigned char c : email)
    if (is_control(c) || c >= 0x80 || c == ' ' || c == '"' || c == '<' || c == '>' || c == '(' ||
        c == ')' || c == ',' || c == ';' || c == '\\' || c == '[' || c == ']')
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
