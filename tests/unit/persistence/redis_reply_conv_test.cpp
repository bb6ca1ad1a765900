// Converting hiredis replies, parsed from RESP bytes by hiredis's own reader
// (no server).
#include <string>

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include "persistence/redis/redis_reply_conv.hpp"

namespace {

using haven::redis_reply;

redis_reply parse(const std::string& resp) {
  redisReader* reader = redisReaderCreate();
  redisReaderFeed(reader, resp.data(), resp.size());
  void* raw = nullptr;
  EXPECT_EQ(redisReaderGetReply(reader, &raw), REDIS_OK);
  redisReaderFree(reader);
  EXPECT_NE(raw, nullptr);
  if (raw == nullptr)
    return {};
  auto out = haven::redis::to_redis_reply(*static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  return out;
}

TEST(RedisReplyConv, Scalars) {
  auto s = parse("+OK\r\n");
  EXPECT_EQ(s.kind, redis_reply::status_kind);
  EXPECT_EQ(s.str, "OK");
  auto i = parse(":-42\r\n");
  EXPECT_EQ(i.kind, redis_reply::integer_kind);
  EXPECT_EQ(i.integer, -42);
  auto n = parse("$-1\r\n");
  EXPECT_EQ(n.kind, redis_reply::nil_kind);
  auto b = parse(std::string("$3\r\na\0b\r\n", 9));
  EXPECT_EQ(b.kind, redis_reply::string_kind);
  EXPECT_EQ(b.str, std::string("a\0b", 3)); // binary safe
}

TEST(RedisReplyConv, ErrorIsAValue) {
  auto e = parse("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(e.kind, redis_reply::error_kind);
  EXPECT_EQ(e.str.rfind("WRONGTYPE", 0), 0u);
  EXPECT_FALSE(haven::redis::is_noscript(e));
  EXPECT_TRUE(haven::redis::is_noscript(parse("-NOSCRIPT No matching script.\r\n")));
  EXPECT_FALSE(haven::redis::is_noscript(parse("$8\r\nNOSCRIPT\r\n"))); // a string, not an error
}

TEST(RedisReplyConv, NestedArraysKeepTheirShape) {
  // SCAN-like: [cursor, [k1, k2]], then nil and an integer.
  auto a = parse("*4\r\n$1\r\n0\r\n*2\r\n$2\r\nk1\r\n$2\r\nk2\r\n*-1\r\n:7\r\n");
  ASSERT_EQ(a.kind, redis_reply::array_kind);
  ASSERT_EQ(a.elements.size(), 4u);
  EXPECT_EQ(a.elements[0].str, "0");
  ASSERT_EQ(a.elements[1].kind, redis_reply::array_kind);
  ASSERT_EQ(a.elements[1].elements.size(), 2u);
  EXPECT_EQ(a.elements[1].elements[1].str, "k2");
  EXPECT_EQ(a.elements[2].kind, redis_reply::nil_kind);
  EXPECT_EQ(a.elements[3].integer, 7);
  auto empty = parse("*0\r\n");
  EXPECT_EQ(empty.kind, redis_reply::array_kind);
  EXPECT_TRUE(empty.elements.empty());
}

} // namespace
