#include "config/connection_strings.hpp"

#include <algorithm>
#include <limits>

#include "config/value_parsers.hpp"

namespace haven::config::parse {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// URL user info may carry reserved characters as %XX; decode so the client
// gets the real password.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size())
      return std::nullopt;
    int hi = hex_value(text[i + 1]);
    int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0)
      return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

} // namespace

std::optional<url_authority> authority(std::string_view text) {
  url_authority out;
  if (auto at = text.rfind('@'); at != std::string_view::npos) {
    auto info = text.substr(0, at);
    auto colon = info.find(':');
    auto user = percent_decode(info.substr(0, colon));
    auto password = percent_decode(colon == std::string_view::npos ? "" : info.substr(colon + 1));
    if (!user || !password)
      return std::nullopt;
    out.user = std::move(*user);
    out.password = std::move(*password);
    out.has_user_info = true;
    text.remove_prefix(at + 1);
  }
  std::string_view port;
  bool has_port = false;
  if (starts_with(text, "[")) {
    auto close = text.find(']');
    if (close == std::string_view::npos || !is_ipv6(text.substr(1, close - 1)))
      return std::nullopt;
    out.host = std::string{text.substr(1, close - 1)};
    auto rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':')
      return std::nullopt;
    has_port = !rest.empty();
    port = has_port ? rest.substr(1) : rest;
  } else {
    auto colon = text.find(':');
    out.host = std::string{text.substr(0, colon)};
    if (!is_hostname(out.host))
      return std::nullopt;
    has_port = colon != std::string_view::npos;
    port = has_port ? text.substr(colon + 1) : std::string_view{};
  }
  if (has_port) {
    auto number = port_number(port);
    if (!number || *number == 0) // a remote endpoint on port 0 is always a mistake
      return std::nullopt;
    out.port = *number;
  }
  return out;
}

std::optional<redis_endpoint> redis_url(std::string_view text) {
  constexpr std::string_view scheme = "redis://";
  if (!starts_with(text, scheme))
    return std::nullopt;
  text.remove_prefix(scheme.size());
  auto slash = text.find('/');
  auto where = authority(text.substr(0, slash));
  if (!where)
    return std::nullopt;
  redis_endpoint out{std::move(*where), 0};
  if (!out.where.port)
    out.where.port = 6379;
  auto path = slash == std::string_view::npos ? std::string_view{} : text.substr(slash + 1);
  if (!path.empty()) {
    auto db = decimal(path, std::numeric_limits<int32_t>::max()); // SELECT takes an int
    if (!db)
      return std::nullopt;
    out.db = static_cast<uint32_t>(*db);
  }
  return out;
}

bool is_nats_url(std::string_view text) {
  constexpr std::string_view scheme = "nats://";
  if (!starts_with(text, scheme))
    return false;
  // user:password@ or token@ (the deploy's NATS users, deploy/nats-server.conf);
  // masked wherever the URL is shown (redaction.cpp).
  return authority(text.substr(scheme.size())).has_value();
}

std::optional<std::vector<conninfo_pair>> conninfo(std::string_view text) {
  std::vector<conninfo_pair> pairs;
  size_t i = 0;
  auto skip_blanks = [&] {
    while (i < text.size() && is_blank(text[i]))
      ++i;
  };
  while (true) {
    skip_blanks();
    if (i == text.size())
      break;
    size_t key_begin = i;
    while (i < text.size() && (is_alnum(text[i]) || text[i] == '_'))
      ++i;
    conninfo_pair pair;
    pair.keyword = text.substr(key_begin, i - key_begin);
    skip_blanks();
    if (pair.keyword.empty() || i == text.size() || text[i] != '=')
      return std::nullopt;
    ++i;
    skip_blanks();
    pair.value_begin = i;
    if (i < text.size() && text[i] == '\'') {
      for (++i;; ++i) {
        if (i >= text.size())
          return std::nullopt; // unterminated quote
        if (text[i] == '\\')
          ++i;
        else if (text[i] == '\'')
          break;
      }
      ++i;
    } else {
      for (; i < text.size() && !is_blank(text[i]); ++i)
        if (text[i] == '\\')
          ++i;
      i = std::min(i, text.size());
    }
    pair.value_end = i;
    pairs.push_back(pair);
  }
  if (pairs.empty())
    return std::nullopt;
  return pairs;
}

bool is_postgres_uri(std::string_view text) {
  return starts_with(text, "postgresql://") || starts_with(text, "postgres://");
}

bool is_postgres_url(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
      return false;
  if (is_postgres_uri(text))
    return text.find_first_of(" \t") == std::string_view::npos;
  return conninfo(text).has_value();
}

} // namespace haven::config::parse
