// <prefix>.rpc.conversation.chat (API.md section 9): the same answer as the
// HTTP route in {"status","body"}, 401 / 422 / 429 like HTTP (the same rate
// buckets), and a reply only on an _INBOX. subject.
#include "tests/integration/conversation_test_support.hpp"

namespace haven::test::conversation {
namespace {

class ConversationRpc : public auth_suite {
 protected:
  static void SetUpTestSuite() { start({{"HAVEN_RATE_LIMIT_FREE", "12"}}); }

  static std::string rpc(const std::string& body, const std::string& token) {
    return rpc_request(stack_->nats_url(), "haven.rpc.conversation.chat", body, token);
  }
};

TEST_F(ConversationRpc, ChatOverNatsAnswersLikeHttp) {
  auto u = register_account(port());
  auto r = rpc(obj({{"message", "hello over the bus"}}), u.access);
  ASSERT_EQ(field(r, "/status"), "200") << r;
  auto sid = field(r, "/body/session_id");
  EXPECT_EQ(sid.size(), 36u);
  EXPECT_EQ(field(r, "/body/reply/source"), "fallback");
  EXPECT_EQ(field(r, "/body/safety/action"), "allow");
  EXPECT_EQ(field(r, "/body/crisis/risk_level"), "none");
  // The same session continues over HTTP, and the other way round.
  auto http = chat(port(), u, "and over http", sid);
  ASSERT_EQ(http.status, 200) << http.body;
  auto back = rpc(obj({{"message", critical_text}, {"session_id", sid}}), u.access);
  EXPECT_EQ(field(back, "/status"), "200") << back;
  EXPECT_EQ(field(back, "/body/crisis/risk_level"), "critical");
  EXPECT_TRUE(reply_names_a_resource(field(back, "/body"))) << back;
  auto list = call(port(), "GET", "/v1/conversation/sessions", {}, u.access);
  EXPECT_EQ(field(list, "/sessions/0/message_count"), "6") << list.body;
}

TEST_F(ConversationRpc, ErrorsAnswerWithTheHttpStatusAndBody) {
  auto u = register_account(port());
  auto none = rpc(obj({{"message", "hi"}}), "");
  EXPECT_EQ(field(none, "/status"), "401") << none;
  EXPECT_EQ(field(none, "/body/error/code"), "unauthorized");
  auto bad = rpc("{\"message\": ", u.access);
  EXPECT_EQ(field(bad, "/status"), "400") << bad;
  auto rule = rpc(obj({{"message", ""}}), u.access);
  EXPECT_EQ(field(rule, "/status"), "422") << rule;
  EXPECT_EQ(field(rule, "/body/error/details/0/field"), "message");
  auto other = register_account(port());
  auto mine = field(chat(port(), u, "mine"), "/session_id");
  auto stolen = rpc(obj({{"message", "x"}, {"session_id", mine}}), other.access);
  EXPECT_EQ(field(stolen, "/status"), "404") << stolen;
}

TEST_F(ConversationRpc, RateLimitedLikeHttp) {
  auto u = register_account(port());
  // 12 per window for the user, shared by HTTP and NATS.
  int limited_http = 0;
  for (int i = 0; i < 8; ++i)
    limited_http += chat(port(), u, "http " + std::to_string(i)).status == 429;
  EXPECT_EQ(limited_http, 0);
  std::string last;
  int ok = 0, limited = 0;
  for (int i = 0; i < 8; ++i) {
    last = rpc(obj({{"message", "nats " + std::to_string(i)}}), u.access);
    auto st = field(last, "/status");
    ok += st == "200";
    limited += st == "429";
  }
  EXPECT_GE(limited, 1) << last;
  EXPECT_LE(ok, 4) << "the NATS path has its own bucket";
  auto http = chat(port(), u, "after");
  EXPECT_EQ(http.status, 429);
  EXPECT_TRUE(http.has_header("retry-after"));
}

TEST_F(ConversationRpc, AnswersOnlyOnAnInbox) {
  auto u = register_account(port());
  raw_nats nats{stack_->nats_url()};
  auto* sub = nats.subscribe("haven.events.chat-steal");
  natsMsg* msg = nullptr;
  auto body = obj({{"message", "who hears this"}});
  ASSERT_EQ(natsMsg_Create(&msg, "haven.rpc.conversation.chat", "haven.events.chat-steal",
                           body.data(), static_cast<int>(body.size())),
            NATS_OK);
  natsMsgHeader_Set(msg, "Authorization", ("Bearer " + u.access).c_str());
  ASSERT_EQ(natsConnection_PublishMsg(nats.get(), msg), NATS_OK);
  natsMsg_Destroy(msg);
  EXPECT_FALSE(raw_nats::next(sub, std::chrono::seconds(2))) << "answered on a non-inbox subject";
}

} // namespace
} // namespace haven::test::conversation
