#pragma once

// Strict parsers for the text forms settings take. Each returns nothing (or
// false) on any malformed input instead of guessing: a typo in a config value
// must stop start-up, not silently pick something else.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"

namespace haven::config::parse {

/// Decimal digits only (no sign, no spaces, no prefix), value <= max.
std::optional<uint64_t> decimal(std::string_view text, uint64_t max);

/// A TCP port: decimal 0..65535.
std::optional<uint16_t> port_number(std::string_view text);

/// Splits on ',' and trims spaces/tabs around each item. An empty text gives an
/// empty list; an empty item ("a,,b", "a,") gives nothing.
std::optional<std::vector<std::string>> comma_list(std::string_view text);

/// 1..max_size characters, each alphanumeric or one of `extra`.
bool is_token(std::string_view text, std::string_view extra, size_t max_size);

bool is_ipv4(std::string_view text);
bool is_ipv6(std::string_view text);
/// An IPv4/IPv6 address, or one followed by /prefix (0..32 or 0..128).
bool is_ip_or_cidr(std::string_view text);
/// RFC 1123 host name: dot-separated labels of [A-Za-z0-9-], 1..63 chars each,
/// not starting or ending with '-', 253 chars at most.
bool is_hostname(std::string_view text);

struct host_port {
  std::string host; // IPv6 without brackets
  uint16_t port = 0;
};

/// The listen address: `IPv4:port`, `localhost:port` or `[IPv6]:port`, port 0..65535.
std::optional<host_port> listen_address(std::string_view text);

/// A moderation threshold: digits with an optional fraction ("0.35", "1",
/// "2.5"; no sign, exponent or spaces; at most 32 characters) greater than 0,
/// or `never`. `threshold_never` for `never` and for numbers above 1, which no
/// score reaches; the value otherwise.
std::optional<float> threshold(std::string_view text);

/// HAVEN_MODERATION_*_BLOCK / _REVIEW: comma-separated `category=threshold`
/// items (spaces around items and around '=' trimmed), each category one of
/// `moderation_categories` and listed at most once, each threshold as above.
/// An empty text gives an empty list (the defaults).
std::optional<std::vector<threshold_override>> threshold_list(std::string_view text);

/// Standard base64 (RFC 4648 alphabet, '=' padding, canonical trailing bits):
/// the decoded size, or nothing when the text is not valid base64.
std::optional<size_t> base64_decoded_size(std::string_view text);

} // namespace haven::config::parse
