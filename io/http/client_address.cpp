#include "io/http/client_address.hpp"
#include "base/text.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace haven::http {

namespace {

struct ip {
  int family = 0; // AF_INET or AF_INET6, 0 = invalid
  std::array<unsigned char, 16> bytes{};
};

ip parse_ip(std::string_view text) {
  ip out;
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 45)
    return out;
  char buf[46];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  if (inet_pton(AF_INET, buf, out.bytes.data()) == 1) {
    out.family = AF_INET;
  } else if (inet_pton(AF_INET6, buf, out.bytes.data()) == 1) {
    out.family = AF_INET6;
    // ::ffff:a.b.c.d is an IPv4 peer seen through a dual-stack socket.
    static constexpr unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(out.bytes.data(), mapped, sizeof mapped) == 0) {
      out.family = AF_INET;
      std::memmove(out.bytes.data(), out.bytes.data() + 12, 4);
      std::memset(out.bytes.data() + 4, 0, 12);
    }
  }
  return out;
}

bool in_block(const ip& a, std::string_view entry) {
  auto slash = entry.find('/');
  ip net = parse_ip(trim(entry.substr(0, slash)));
  if (net.family == 0 || net.family != a.family)
    return false;
  int max_bits = a.family == AF_INET ? 32 : 128;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    auto digits = entry.substr(slash + 1);
    if (digits.empty() || digits.size() > 3)
      return false;
    bits = 0;
    for (char c : digits) {
      if (c < '0' || c > '9')
        return false;
      bits = bits * 10 + (c - '0');
    }
    if (bits > max_bits)
      return false;
  }
  for (int i = 0; i < bits; ++i) {
    int byte = i / 8, bit = 7 - i % 8;
    if (((a.bytes[byte] >> bit) & 1) != ((net.bytes[byte] >> bit) & 1))
      return false;
  }
  return true;
}

} // namespace

bool is_trusted_proxy(std::string_view addr, const std::vector<std::string>& trusted) {
  if (trusted.empty())
    return false;
  ip a = parse_ip(addr);
  if (a.family == 0)
    return false;
  for (auto& entry : trusted)
    if (in_block(a, entry))
      return true;
  return false;
}

std::string address_key(std::string_view addr) {
  ip a = parse_ip(trim(addr));
  char buf[INET6_ADDRSTRLEN + 4];
  if (a.family == AF_INET) {
    if (inet_ntop(AF_INET, a.bytes.data(), buf, sizeof buf) == nullptr)
      return std::string{addr};
    return buf;
  }
  if (a.family != AF_INET6)
    return std::string{addr};
  std::memset(a.bytes.data() + 8, 0, 8);
  if (inet_ntop(AF_INET6, a.bytes.data(), buf, sizeof buf) == nullptr)
    return std::string{addr};
  return std::string{buf} + "/64";
}

std::string client_address(const request& req, std::string_view remote,
                           const std::vector<std::string>& trusted) {
  if (!is_trusted_proxy(remote, trusted))
    return address_key(remote);
  // Every X-Forwarded-For line, in order: a proxy may add its own line
  // instead of appending to the client's (RFC 9110 5.3: same as one list).
  std::vector<std::string_view> lines;
  for (const auto& [name, value] : req.headers)
    if (name == "x-forwarded-for")
      lines.emplace_back(value);
  for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
    std::string_view rest = *line;
    while (!rest.empty()) {
      auto comma = rest.rfind(',');
      auto part = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
      if (parse_ip(part).family == 0)
        return address_key(remote); // garbled: do not trust anything left of it
      if (!is_trusted_proxy(part, trusted))
        return address_key(part);
    }
  }
  return address_key(remote);
}

} // namespace haven::http
