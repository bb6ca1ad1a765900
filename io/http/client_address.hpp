#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "io/http/request.hpp"

namespace haven::http {

/// True when `addr` (an IPv4 or IPv6 address) is one of `trusted`: exact
/// addresses or CIDR blocks ("10.0.0.0/8", "fd00::/8"). Malformed entries
/// never match.
bool is_trusted_proxy(std::string_view addr, const std::vector<std::string>& trusted);

/// The client's address (API.md section 2) as a key (see address_key):
/// `remote` itself, unless `remote` is a trusted proxy; then X-Forwarded-For
/// (all its header lines joined in order, RFC 9110 5.3) is read from the
/// right, skipping trusted proxies, and the first other valid address is the
/// client. A missing or garbled header leaves `remote`.
/// One client's address as counted by limits: IPv4 as is (also when written
/// IPv4-mapped, "::ffff:a.b.c.d"), IPv6 by its /64 ("2001:db8:1:2::/64"),
/// because one subscriber is usually given a whole /64. Text that is no
/// address is returned unchanged.
std::string address_key(std::string_view addr);

std::string client_address(const request& req, std::string_view remote,
                           const std::vector<std::string>& trusted);

} // namespace haven::http
