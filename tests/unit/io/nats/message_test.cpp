// bus_message <-> natsMsg: headers (repeated ones too), reply, binary data.

#include <gtest/gtest.h>

#include "io/nats/message.hpp"

namespace haven::nats {
namespace {

TEST(nats_message, round_trip_with_headers) {
  nats_Open(-1);
  bus_message m{"haven.events.user.registered",
                "",
                {{"Haven-Event-Id", "e1"}, {"X", "a"}, {"X", "b"}},
                std::string("{\"a\":1}\0z", 10)};
  natsMsg* msg = nullptr;
  ASSERT_EQ(make_nats_msg(&msg, m, "_INBOX.x.1.0", true), NATS_OK);
  const char* v = nullptr;
  ASSERT_EQ(natsMsgHeader_Get(msg, header_msg_id, &v), NATS_OK);
  EXPECT_STREQ(v, "e1");
  auto back = copy_nats_msg(msg);
  natsMsg_Destroy(msg);
  EXPECT_EQ(back.subject, m.subject);
  EXPECT_EQ(back.reply, "_INBOX.x.1.0");
  EXPECT_EQ(back.data, m.data);
  ASSERT_NE(find_header(back, "Nats-Msg-Id"), nullptr);
  int xs = 0;
  for (auto& h : back.headers)
    if (h.name == "X")
      ++xs;
  EXPECT_EQ(xs, 2);
  EXPECT_EQ(*find_header(back, "Haven-Event-Id"), "e1");
}

TEST(nats_message, no_dedupe_id_unless_asked_and_present) {
  nats_Open(-1);
  natsMsg* msg = nullptr;
  bus_message m{"s", "r", {{"Haven-Event-Id", "e1"}}, "x"};
  ASSERT_EQ(make_nats_msg(&msg, m, nullptr, false), NATS_OK);
  const char* v = nullptr;
  EXPECT_EQ(natsMsgHeader_Get(msg, header_msg_id, &v), NATS_NOT_FOUND);
  EXPECT_STREQ(natsMsg_GetReply(msg), "r");
  natsMsg_Destroy(msg);
  bus_message plain{"s", "", {}, ""};
  ASSERT_EQ(make_nats_msg(&msg, plain, nullptr, true), NATS_OK);
  auto back = copy_nats_msg(msg);
  natsMsg_Destroy(msg);
  EXPECT_TRUE(back.headers.empty());
  EXPECT_TRUE(back.data.empty());
  EXPECT_TRUE(back.reply.empty());
}

} // namespace
} // namespace haven::nats
