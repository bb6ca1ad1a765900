// The feed cursor (actors/sync_queue/cursor.hpp): round trip, and every
// edit, truncation or other user's cursor is refused.
#include <gtest/gtest.h>

#include "actors/sync_queue/cursor.hpp"

namespace haven::sync {
namespace {

const std::string alice = "00000000-0000-4000-8000-00000000000a";
const std::string bob = "00000000-0000-4000-8000-00000000000b";

TEST(SyncCursor, RoundTrips) {
  for (int64_t seq : {int64_t{0}, int64_t{1}, int64_t{7}, int64_t{1} << 40, INT64_MAX}) {
    auto c = encode_cursor(alice, seq);
    EXPECT_EQ(c.size(), 16u);
    EXPECT_EQ(decode_cursor(alice, c), seq) << c;
  }
}

TEST(SyncCursor, RefusesEditsTruncationAndOtherUsers) {
  auto c = encode_cursor(alice, 42);
  EXPECT_FALSE(decode_cursor(bob, c));
  EXPECT_FALSE(decode_cursor(alice, c.substr(0, 15)));
  EXPECT_FALSE(decode_cursor(alice, c + "A"));
  EXPECT_FALSE(decode_cursor(alice, ""));
  EXPECT_FALSE(decode_cursor(alice, "42"));
  EXPECT_FALSE(decode_cursor(alice, "================"));
  for (size_t i = 0; i < c.size(); ++i)
    for (char ch : {'A', 'z', '_', '-', '0'}) {
      if (c[i] == ch)
        continue;
      auto edited = c;
      edited[i] = ch;
      EXPECT_FALSE(decode_cursor(alice, edited)) << edited;
    }
}

} // namespace
} // namespace haven::sync
