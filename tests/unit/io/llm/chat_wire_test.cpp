// The wire format and the transport-result mapping, without sockets.

#include <gtest/gtest.h>

#include <simdjson.h>

#include "io/llm/chat_wire.hpp"
#include "io/llm/curl_result.hpp"

namespace haven::llm {
namespace {

TEST(LlmChatWire, RequestBodyRoundTrips) {
  std::vector<chat_message> m{{"system", "s"}, {"user", "a \"quote\"\n\x02 😔"}};
  auto body = request_body("gpt-x", m);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(body).get(root), simdjson::SUCCESS) << body;
  std::string_view v;
  ASSERT_EQ(root["model"].get_string().get(v), simdjson::SUCCESS);
  EXPECT_EQ(v, "gpt-x");
  ASSERT_EQ(root["messages"].at(1)["content"].get_string().get(v), simdjson::SUCCESS);
  EXPECT_EQ(v, m[1].content);
  int64_t max_tokens = 0;
  ASSERT_EQ(root["max_tokens"].get_int64().get(max_tokens), simdjson::SUCCESS);
  EXPECT_EQ(max_tokens, max_reply_tokens);
  EXPECT_EQ(root["temperature"].error(), simdjson::NO_SUCH_FIELD);
}

TEST(LlmChatWire, ValidMessagesRejectsBrokenUtf8) {
  EXPECT_TRUE(valid_messages({{"user", "Habari ñ 😔"}}));
  EXPECT_FALSE(valid_messages({{"user", "\xed\xa0\x80"}})); // a lone surrogate
  EXPECT_FALSE(valid_messages({{"us\xff", "ok"}}));
}

TEST(LlmChatWire, ParseReplyTakesFirstChoiceOnly) {
  auto r =
      parse_reply(R"({"choices":[{"message":{"content":"one"}},{"message":{"content":"two"}}]})");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.text, "one");
  EXPECT_EQ(parse_reply(R"({"choices":[{"message":{"content":7}}]})").error, "malformed");
}

TEST(LlmChatWire, ParseReplyRefusesOverCap) {
  std::string huge =
      R"({"choices":[{"message":{"content":")" + std::string(max_response_bytes, 'a') + R"("}}]})";
  EXPECT_EQ(parse_reply(huge).error, "malformed");
}

TEST(LlmChatWire, TransportResultsMapToErrorKinds) {
  std::string ok_body = R"({"choices":[{"message":{"content":"hi"}}]})";
  EXPECT_TRUE(to_completion({CURLE_OK, 200, false, ok_body}).ok);
  EXPECT_EQ(to_completion({CURLE_OK, 503, false, ok_body}).error, "http_503");
  EXPECT_EQ(to_completion({CURLE_WRITE_ERROR, 503, true, ""}).error, "http_503");
  EXPECT_EQ(to_completion({CURLE_WRITE_ERROR, 200, true, ""}).error, "malformed");
  EXPECT_EQ(to_completion({CURLE_OPERATION_TIMEDOUT, 0, false, ""}).error, "timeout");
  EXPECT_EQ(to_completion({CURLE_OPERATION_TIMEDOUT, 200, false, ""}).error, "timeout");
  EXPECT_EQ(to_completion({CURLE_COULDNT_CONNECT, 0, false, ""}).error, "connect");
  EXPECT_EQ(to_completion({CURLE_COULDNT_RESOLVE_HOST, 0, false, ""}).error, "connect");
  EXPECT_EQ(to_completion({CURLE_PEER_FAILED_VERIFICATION, 0, false, ""}).error, "connect");
  EXPECT_EQ(to_completion({CURLE_GOT_NOTHING, 0, false, ""}).error, "connect");
  EXPECT_EQ(to_completion({CURLE_WEIRD_SERVER_REPLY, 0, false, ""}).error, "malformed");
}

} // namespace
} // namespace haven::llm
