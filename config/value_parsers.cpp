#include "config/value_parsers.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace haven::config::parse {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back()))
    text.remove_suffix(1);
  return text;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool inet_parses(int family, std::string_view text) {
  if (text.empty() || text.size() > 64)
    return false;
  unsigned char buffer[16];
  return inet_pton(family, std::string{text}.c_str(), buffer) == 1;
}

} // namespace

std::optional<uint64_t> decimal(std::string_view text, uint64_t max) {
  if (text.empty() || text.size() > 20)
    return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (!is_digit(c))
      return std::nullopt;
    auto digit = static_cast<uint64_t>(c - '0');
    if (digit > max || value > (max - digit) / 10)
      return std::nullopt; // value * 10 + digit would exceed max (or overflow)
    value = value * 10 + digit;
  }
  return value;
}

std::optional<float> threshold(std::string_view text) {
  if (text == "never")
    return threshold_never;
  if (text.empty() || text.size() > 32)
    return std::nullopt;
  auto point = text.find('.');
  auto whole = text.substr(0, point);
  auto fraction = point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
  };
  if (!digits(whole) || (point != std::string_view::npos && !digits(fraction)))
    return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  if (value > 1.0)
    return threshold_never; // no score exceeds 1: the rule is off
  auto narrow = static_cast<float>(value);
  if (!(narrow > 0.0f))
    return std::nullopt;
  return narrow;
}

std::optional<std::vector<threshold_override>> threshold_list(std::string_view text) {
  auto items = comma_list(text);
  if (!items)
    return std::nullopt;
  std::vector<threshold_override> out;
  for (const auto& item : *items) {
    auto eq = item.find('=');
    if (eq == std::string::npos)
      return std::nullopt;
    auto name = trim_blanks(std::string_view{item}.substr(0, eq));
    auto value = threshold(trim_blanks(std::string_view{item}.substr(eq + 1)));
    if (!value)
      return std::nullopt;
    if (std::find(moderation_categories.begin(), moderation_categories.end(), name) ==
        moderation_categories.end())
      return std::nullopt; // unknown category
    for (const auto& seen : out)
      if (seen.category == name)
        return std::nullopt; // listed twice
    out.push_back({std::string{name}, *value});
  }
  return out;
}

std::optional<uint16_t> port_number(std::string_view text) {
  auto port = decimal(text, std::numeric_limits<uint16_t>::max());
  if (!port)
    return std::nullopt;
  return static_cast<uint16_t>(*port);
}

std::optional<std::vector<std::string>> comma_list(std::string_view text) {
  std::vector<std::string> items;
  if (trim_blanks(text).empty())
    return items;
  while (true) {
    auto comma = text.find(',');
    auto item = trim_blanks(text.substr(0, comma));
    if (item.empty())
      return std::nullopt;
    items.emplace_back(item);
    if (comma == std::string_view::npos)
      return items;
    text.remove_prefix(comma + 1);
  }
}

bool is_token(std::string_view text, std::string_view extra, size_t max_size) {
  if (text.empty() || text.size() > max_size)
    return false;
  for (char c : text)
    if (!is_alnum(c) && extra.find(c) == std::string_view::npos)
      return false;
  return true;
}

bool is_ipv4(std::string_view text) {
  return inet_parses(AF_INET, text);
}
bool is_ipv6(std::string_view text) {
  return inet_parses(AF_INET6, text);
}

bool is_ip_or_cidr(std::string_view text) {
  auto slash = text.find('/');
  auto address = text.substr(0, slash);
  bool v4 = is_ipv4(address);
  if (!v4 && !is_ipv6(address))
    return false;
  if (slash == std::string_view::npos)
    return true;
  return decimal(text.substr(slash + 1), v4 ? 32 : 128).has_value();
}

bool is_hostname(std::string_view text) {
  if (text.empty() || text.size() > 253)
    return false;
  while (true) {
    auto dot = text.find('.');
    auto label = text.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!is_alnum(c) && c != '-')
        return false;
    if (dot == std::string_view::npos)
      return true;
    text.remove_prefix(dot + 1);
  }
}

std::optional<host_port> listen_address(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (starts_with(text, "[")) {
    auto close = text.find(']');
    if (close == std::string_view::npos || text.substr(close + 1, 1) != ":")
      return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (!is_ipv6(host))
      return std::nullopt;
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
      return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host != "localhost" && !is_ipv4(host))
      return std::nullopt;
  }
  auto number = port_number(port);
  if (!number)
    return std::nullopt;
  return host_port{std::string{host}, *number};
}

std::optional<size_t> base64_decoded_size(std::string_view text) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (text.size() % 4 != 0)
    return std::nullopt;
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
    ++padding;
  auto data = text.substr(0, text.size() - padding);
  for (char c : data)
    if (alphabet.find(c) == std::string_view::npos)
      return std::nullopt;
  if (padding > 0) {
    // The bits after the last whole byte must be zero, or two texts decode alike.
    auto last = alphabet.find(data.back());
    if ((padding == 1 && (last & 0x3) != 0) || (padding == 2 && (last & 0xF) != 0))
      return std::nullopt;
  }
  return text.size() / 4 * 3 - padding;
}

} // namespace haven::config::parse
