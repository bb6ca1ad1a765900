#include <gtest/gtest.h>

#include "io/http/client_address.hpp"

using namespace haven::http;

namespace {

request with_xff(std::string value) {
  request r;
  r.headers.emplace_back("x-forwarded-for", std::move(value));
  return r;
}

} // namespace

TEST(client_address, trusted_proxy_matching) {
  std::vector<std::string> trusted{"10.0.0.0/8", "192.168.1.7", "fd00::/8", "bogus", "1.2.3.4/99"};
  EXPECT_TRUE(is_trusted_proxy("10.1.2.3", trusted));
  EXPECT_TRUE(is_trusted_proxy("192.168.1.7", trusted));
  EXPECT_FALSE(is_trusted_proxy("192.168.1.8", trusted));
  EXPECT_TRUE(is_trusted_proxy("fd12::1", trusted));
  EXPECT_FALSE(is_trusted_proxy("fe80::1", trusted));
  EXPECT_FALSE(is_trusted_proxy("1.2.3.4", trusted));
  EXPECT_FALSE(is_trusted_proxy("not-an-ip", trusted));
  EXPECT_FALSE(is_trusted_proxy("10.1.2.3", {}));
}

TEST(client_address, forwarded_for_only_from_trusted_proxies) {
  std::vector<std::string> trusted{"10.0.0.0/8"};
  auto r = with_xff("203.0.113.9, 10.0.0.2");
  EXPECT_EQ(client_address(r, "10.0.0.1", trusted), "203.0.113.9");
  EXPECT_EQ(client_address(r, "198.51.100.1", trusted), "198.51.100.1"); // untrusted peer
  auto spoofed = with_xff("1.1.1.1, 203.0.113.9");
  EXPECT_EQ(client_address(spoofed, "10.0.0.1", trusted), "203.0.113.9"); // rightmost untrusted
  auto garbled = with_xff("1.1.1.1, <script>");
  EXPECT_EQ(client_address(garbled, "10.0.0.1", trusted), "10.0.0.1");
  EXPECT_EQ(client_address(request{}, "10.0.0.1", trusted), "10.0.0.1");
}

// Audit L4: a proxy that adds its own X-Forwarded-For line (HAProxy's
// `option forwardfor`) leaves the client's spoofed line first; the lines are
// one list, read from the right.
TEST(client_address, forwarded_for_lines_are_joined_in_order) {
  std::vector<std::string> trusted{"10.0.0.0/8"};
  request r;
  r.headers.emplace_back("x-forwarded-for", "6.6.6.6");     // sent by the client
  r.headers.emplace_back("x-forwarded-for", "203.0.113.9"); // added by the proxy
  EXPECT_EQ(client_address(r, "10.0.0.1", trusted), "203.0.113.9");
  request chain;
  chain.headers.emplace_back("x-forwarded-for", "203.0.113.9, 10.0.0.3");
  chain.headers.emplace_back("x-forwarded-for", "10.0.0.2");
  EXPECT_EQ(client_address(chain, "10.0.0.1", trusted), "203.0.113.9");
}

TEST(client_address, ipv6_clients_are_keyed_by_their_64) {
  EXPECT_EQ(address_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(address_key("2001:db8:1:2::1"), address_key("2001:db8:1:2:ffff::9"));
  EXPECT_NE(address_key("2001:db8:1:2::1"), address_key("2001:db8:1:3::1"));
  EXPECT_EQ(client_address(request{}, "2001:db8:1:2::77", {}), "2001:db8:1:2::/64");
  EXPECT_EQ(address_key("203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(address_key("not an address"), "not an address");
}

TEST(client_address, ipv4_mapped_addresses_are_ipv4) {
  std::vector<std::string> trusted{"10.0.0.0/8"};
  EXPECT_TRUE(is_trusted_proxy("::ffff:10.0.0.1", trusted));
  EXPECT_EQ(address_key("::ffff:203.0.113.9"), "203.0.113.9");
  auto r = with_xff("::ffff:203.0.113.9");
  EXPECT_EQ(client_address(r, "::ffff:10.0.0.1", trusted), "203.0.113.9");
}
