// Edge cases of the strict value parsers behind the settings table.

#include <gtest/gtest.h>

#include "config/connection_strings.hpp"
#include "config/value_parsers.hpp"

namespace haven::config::parse {
namespace {

TEST(config_parse, decimal_accepts_digits_only_and_rejects_overflow) {
  EXPECT_EQ(decimal("0", 10), 0u);
  EXPECT_EQ(decimal("007", 10), 7u);
  EXPECT_EQ(decimal("10", 10), 10u);
  EXPECT_EQ(decimal("18446744073709551615", UINT64_MAX), UINT64_MAX);
  for (auto bad : {"", "11", "+1", "-1", " 1", "1 ", "1.0", "1e3", "0x10", "١",
                   "18446744073709551616", "99999999999999999999999"})
    EXPECT_FALSE(decimal(bad, bad == std::string{"11"} ? 10 : UINT64_MAX)) << bad;
  // A single digit above a small maximum (0..1 flags) must not wrap around.
  EXPECT_FALSE(decimal("2", 1));
  EXPECT_FALSE(decimal("9", 5));
  EXPECT_EQ(decimal("1", 1), 1u);
}

TEST(config_parse, threshold_is_a_positive_decimal_or_never) {
  EXPECT_EQ(threshold("0.1"), 0.1f);
  EXPECT_EQ(threshold("0.35"), 0.35f);
  EXPECT_EQ(threshold("1"), 1.0f);
  EXPECT_EQ(threshold("1.0"), 1.0f);
  EXPECT_EQ(threshold("0.000001"), 0.000001f);
  EXPECT_EQ(threshold("never"), threshold_never);
  // No score exceeds 1: a larger number switches the rule off, like `never`.
  EXPECT_EQ(threshold("1.5"), threshold_never);
  EXPECT_EQ(threshold("99999999999999999999999999999999"), threshold_never);
  for (auto bad : {"",      "0",     "0.0",   "00",   "-0.5",
                   "+0.5",  ".5",    "5.",    "1e-1", "0x1",
                   " 0.5",  "0.5 ",  "0,5",   "nan",  "inf",
                   "Never", "NEVER", "0.5.1", "1/2",  "123456789012345678901234567890123"})
    EXPECT_FALSE(threshold(bad)) << bad;
}

TEST(config_parse, threshold_list_items) {
  auto empty = threshold_list("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  ASSERT_TRUE(threshold_list("  "));
  auto list = threshold_list("self_harm_instructions=0.6, violence_threat = never,harassment=0.1,"
                             "hate=0.8,sexual_minors=0.2,pii=0.9");
  ASSERT_TRUE(list);
  EXPECT_EQ(*list, (std::vector<threshold_override>{{"self_harm_instructions", 0.6f},
                                                    {"violence_threat", threshold_never},
                                                    {"harassment", 0.1f},
                                                    {"hate", 0.8f},
                                                    {"sexual_minors", 0.2f},
                                                    {"pii", 0.9f}}));
  for (auto bad : {"harassment", "harassment=", "=0.5", "harassment=0.5,", ",harassment=0.5",
                   "harassment=0.5,,hate=0.5", "harassment=0.5;hate=0.5", "harassment:0.5",
                   "harassment==0.5", "harassment=0.5=0.6", "insults=0.5", "HATE=0.5",
                   "hate =0.5,hate= 0.6", "pii=never,pii=never", "hate=0", "hate=-1", "hate=abc"})
    EXPECT_FALSE(threshold_list(bad)) << bad;
}

TEST(config_parse, listen_address_forms) {
  auto v4 = listen_address("127.0.0.1:0");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 0);
  auto v6 = listen_address("[::1]:65535");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1"); // brackets dropped, ready for getaddrinfo
  EXPECT_EQ(v6->port, 65535);
  EXPECT_TRUE(listen_address("localhost:8080"));
  EXPECT_TRUE(listen_address("[::]:8080"));
  for (auto bad : {"", ":8080", "0.0.0.0", "0.0.0.0:", "0.0.0.0:65536", "0.0.0.0:-1", "0.0.0.0:80x",
                   "1.2.3:80", "256.0.0.1:80", "example.com:80", "::1:80", "[::1]80", "[::1]",
                   "[::1:80", "[1.2.3.4]:80", "[fe80::1%eth0]:80"})
    EXPECT_FALSE(listen_address(bad)) << bad;
}

TEST(config_parse, redis_url_fills_defaults_and_decodes_user_info) {
  auto full = redis_url("redis://app:p%40ss@[::1]:6380/3");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->where.user, "app");
  EXPECT_EQ(full->where.password, "p@ss");
  EXPECT_EQ(full->where.host, "::1");
  EXPECT_EQ(full->where.port, 6380);
  EXPECT_EQ(full->db, 3u);
  auto bare = redis_url("redis://cache");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->where.port, 6379);
  EXPECT_EQ(bare->db, 0u);
  EXPECT_FALSE(bare->where.has_user_info);
  EXPECT_TRUE(redis_url("redis://cache:6380/"));
  EXPECT_EQ(redis_url("redis://:pw@cache/1")->where.password, "pw");
  for (auto bad :
       {"", "redis://", "http://cache/0", "rediss://cache/0", "redis://:6379/0",
        "redis://cache:0/0", "redis://cache:65536/0", "redis://cache/x", "redis://cache/0/1",
        "redis://cache/-1", "redis://cache_1/0", "redis://cache?db=1", "redis://:p%4@cache/0",
        "redis://cache:1:2/0", "redis://cache/2147483648"})
    EXPECT_FALSE(redis_url(bad)) << bad;
}

TEST(config_parse, nats_urls) {
  EXPECT_TRUE(is_nats_url("nats://127.0.0.1:4222"));
  EXPECT_TRUE(is_nats_url("nats://nats-1.internal"));
  EXPECT_TRUE(is_nats_url("nats://[::1]:4222"));
  EXPECT_TRUE(is_nats_url("nats://haven:secret@a:4222")); // deploy/nats-server.conf users
  EXPECT_TRUE(is_nats_url("nats://s3cr3t-token@a:4222"));
  for (auto bad : {"", "nats://", "127.0.0.1:4222", "tls://a:4222", "nats://a:4222/", "nats://a:0",
                   "nats://a b:1"})
    EXPECT_FALSE(is_nats_url(bad)) << bad;
}

TEST(config_parse, comma_list_trims_and_rejects_empty_items) {
  EXPECT_EQ(comma_list(""), std::vector<std::string>{});
  EXPECT_EQ(comma_list("  "), std::vector<std::string>{});
  EXPECT_EQ(comma_list(" a , b,c "), (std::vector<std::string>{"a", "b", "c"}));
  for (auto bad : {",", "a,", ",a", "a,,b", "a, ,b"})
    EXPECT_FALSE(comma_list(bad)) << bad;
}

TEST(config_parse, tokens) {
  EXPECT_TRUE(is_token("node-1.eu_west", "._-", 64));
  EXPECT_TRUE(is_token(std::string(32, 'a'), "_-", 32));
  for (auto bad : {"", "a b", "a.b", "a/b", "ä"})
    EXPECT_FALSE(is_token(bad, "_-", 32)) << bad;
  EXPECT_FALSE(is_token(std::string(33, 'a'), "_-", 32));
}

TEST(config_parse, addresses_and_cidrs) {
  for (auto good : {"10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "10.0.0.0/32", "::1", "::/0",
                    "2001:db8::/32", "fe80::1/128", "::ffff:10.0.0.1"})
    EXPECT_TRUE(is_ip_or_cidr(good)) << good;
  for (auto bad : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/+8", "10.0.0", "example.com",
                   "10.0.0.0/8/8", "fe80::1%eth0", "/8", " 10.0.0.1"})
    EXPECT_FALSE(is_ip_or_cidr(bad)) << bad;
}

TEST(config_parse, hostnames) {
  for (auto good : {"a", "cache", "nats-1.internal", "xn--bcher-kva.example", "10.0.0.1"})
    EXPECT_TRUE(is_hostname(good)) << good;
  for (std::string bad : {"", "-a", "a-", "a..b", ".a", "a.", "a_b", "a b", "a.-b"})
    EXPECT_FALSE(is_hostname(bad)) << bad;
  EXPECT_TRUE(is_hostname(std::string(63, 'a')));
  EXPECT_FALSE(is_hostname(std::string(64, 'a')));                                // label too long
  EXPECT_FALSE(is_hostname(std::string(127, 'a') + "." + std::string(126, 'a'))); // 254 chars
}

TEST(config_parse, base64_sizes_are_strict) {
  EXPECT_EQ(base64_decoded_size(""), 0u);
  EXPECT_EQ(base64_decoded_size("AA=="), 1u);
  EXPECT_EQ(base64_decoded_size("AAA="), 2u);
  EXPECT_EQ(base64_decoded_size("ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM="), 32u);
  for (auto bad : {"A", "AAA", "A===", "AB==", "AAB=", "AA=A", "AA-_", "AA AA", "=AAA"})
    EXPECT_FALSE(base64_decoded_size(bad)) << bad;
}

TEST(config_parse, conninfo_tokenizes_like_libpq) {
  auto pairs = conninfo("host=db  port = 5432 password='a b\\' c' user=x\\ y");
  ASSERT_TRUE(pairs);
  ASSERT_EQ(pairs->size(), 4u);
  EXPECT_EQ((*pairs)[1].keyword, "port");
  std::string_view text = "host=db  port = 5432 password='a b\\' c' user=x\\ y";
  auto password = (*pairs)[2];
  EXPECT_EQ(text.substr(password.value_begin, password.value_end - password.value_begin),
            "'a b\\' c'");
  EXPECT_EQ(text.substr((*pairs)[3].value_begin), "x\\ y");
  for (auto bad : {"", "   ", "host", "=x", "host='unterminated", "host=a b", "ho-st=a"})
    EXPECT_FALSE(conninfo(bad)) << bad;
}

TEST(config_parse, postgres_urls) {
  for (auto good : {"postgresql://u@h/db", "postgres://h", "postgresql://", "host=h dbname=x",
                    "postgresql://h/db?sslmode=require"})
    EXPECT_TRUE(is_postgres_url(good)) << good;
  for (auto bad : {"", "h", "postgresql://h/db name", "host=a\nport=1", "mysql://h"})
    EXPECT_FALSE(is_postgres_url(bad)) << bad;
}

} // namespace
} // namespace haven::config::parse
