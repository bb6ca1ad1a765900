#include <gtest/gtest.h>

#include "persistence/redis/redis_key.hpp"

namespace {

TEST(RedisKey, Namespaced) {
  EXPECT_EQ(haven::redis_key("revoked", "abc"), "haven:revoked:abc");
  EXPECT_EQ(haven::redis_key("rate", "user:42"), "haven:rate:user:42");
}

TEST(RedisKey, EmptyPartsKeepTheShape) {
  EXPECT_EQ(haven::redis_key("status", ""), "haven:status:");
  EXPECT_EQ(haven::redis_key("", "x"), "haven::x");
}

TEST(RedisKey, BinarySafeId) {
  const std::string id{"a\0b", 3};
  EXPECT_EQ(haven::redis_key("p", id), std::string("haven:p:a\0b", 11));
}

} // namespace
