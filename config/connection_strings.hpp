#pragma once

// Strict parsers for the connection strings of the stores and the bus
// (Redis and NATS URLs, libpq connection strings).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace haven::config::parse {

struct url_authority {
  std::string user;     // percent-decoded
  std::string password; // percent-decoded
  bool has_user_info = false;
  std::string host; // host name, IPv4, or IPv6 without brackets
  std::optional<uint16_t> port;
};

/// `[user[:password]@]host[:port]` where host is a host name, IPv4 or [IPv6].
std::optional<url_authority> authority(std::string_view text);

struct redis_endpoint {
  url_authority where;
  uint32_t db = 0;
};

/// `redis://[[user]:password@]host[:port][/db]`; port defaults to 6379, db to 0.
std::optional<redis_endpoint> redis_url(std::string_view text);

/// `nats://host[:port]` without user info or path (credentials go elsewhere).
bool is_nats_url(std::string_view text);

/// One `keyword=value` of a libpq key/value connection string. The value span
/// [value_begin, value_end) includes its quotes so it can be masked in place.
struct conninfo_pair {
  std::string_view keyword;
  size_t value_begin = 0;
  size_t value_end = 0;
};

/// Tokenizes a libpq key/value string the way libpq does (spaces around '=',
/// single-quoted values with backslash escapes). Nothing when malformed.
std::optional<std::vector<conninfo_pair>> conninfo(std::string_view text);

/// True for a `postgresql://` or `postgres://` URI.
bool is_postgres_uri(std::string_view text);

/// A non-empty libpq key/value string or postgres URI without control characters.
bool is_postgres_url(std::string_view text);

} // namespace haven::config::parse
