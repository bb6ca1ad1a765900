#include "actors/rate_buckets/rate_headers.hpp"

#include <gtest/gtest.h>

using namespace haven::rate;

namespace {
// The value of header `name` in "Name: value\r\n" lines.
std::string get(const std::string& lines, const std::string& name) {
  size_t at = 0;
  while (at < lines.size()) {
    auto end = lines.find("\r\n", at);
    if (end == std::string::npos)
      return "<unterminated>";
    auto line = lines.substr(at, end - at);
    if (line.rfind(name + ": ", 0) == 0)
      return line.substr(name.size() + 2);
    at = end + 2;
  }
  return "<absent>";
}
} // namespace

TEST(rate_headers, carry_the_legacy_and_the_ietf_draft_fields) {
  decision d;
  d.allowed = true;
  d.limit = 100;
  d.remaining = 42;
  d.reset_s = 35;
  auto h = rate_headers(d, 60, false);
  EXPECT_EQ(get(h, "X-RateLimit-Limit"), "100");
  EXPECT_EQ(get(h, "X-RateLimit-Remaining"), "42");
  EXPECT_EQ(get(h, "X-RateLimit-Reset"), "35");
  EXPECT_EQ(get(h, "RateLimit-Policy"), "100;w=60");
  EXPECT_EQ(get(h, "RateLimit"), "limit=100, remaining=42, reset=35");
  EXPECT_EQ(get(h, "X-RateLimit-Degraded"), "<absent>");
}

TEST(rate_headers, mark_degraded_decisions) {
  decision d;
  d.limit = 5;
  EXPECT_EQ(get(rate_headers(d, 60, true), "X-RateLimit-Degraded"), "1");
}

TEST(rate_headers, retry_after_is_at_least_one_second) {
  decision d;
  d.retry_after_s = 0;
  EXPECT_EQ(retry_after_seconds(d), 1u);
  d.retry_after_s = 12;
  EXPECT_EQ(retry_after_seconds(d), 12u);
}
