// The chat's field rules and answers (API.md section 5): message length in
// Unicode code points, session ids, paging parameters, the reply's crisis
// lines, the provider's bounded history, and the JSON shapes.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "actors/sessions/reply_rules.hpp"
#include "actors/sessions/routes/chat_fields.hpp"
#include "actors/sessions/routes/conversation_json.hpp"
#include "actors/sessions/sessions_sql.hpp"
#include "messages/errors.hpp"

namespace haven::sessions {
namespace {

struct parsed {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  explicit parsed(const std::string& json) { root = parser.parse(json).value(); }
};

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += s;
  return out;
}

struct read {
  chat_request r;
  bool ok = false;
  std::string details;
};

read chat(const std::string& json) {
  parsed p{json};
  http::body_reader b{&p.root};
  read out;
  out.r = read_chat(b, &p.root);
  out.ok = b.ok();
  if (!out.ok)
    out.details = caf::to_string(b.error());
  return out;
}

TEST(ConversationFields, MessageLengthCountsCodePointsNotBytes) {
  // 4000 four-byte emoji: 16000 bytes, 4000 characters: accepted.
  auto emoji = repeat("\xF0\x9F\x98\x80", 4000);
  EXPECT_TRUE(chat("{\"message\":\"" + emoji + "\"}").ok);
  EXPECT_FALSE(chat("{\"message\":\"" + emoji + "a\"}").ok);
  EXPECT_TRUE(chat("{\"message\":\"" + repeat("a", 4000) + "\"}").ok);
  EXPECT_FALSE(chat("{\"message\":\"" + repeat("a", 4001) + "\"}").ok);
  EXPECT_TRUE(chat("{\"message\":\"" + repeat("\xC3\xA9", 4000) + "\"}").ok); // é x 4000
}

TEST(ConversationFields, MessageIsRequiredNotEmptyNotBlankAString) {
  EXPECT_FALSE(chat("{}").ok);
  EXPECT_FALSE(chat("{\"message\":\"\"}").ok);
  EXPECT_FALSE(chat("{\"message\":\"  \\n\\t \"}").ok);
  EXPECT_FALSE(chat("{\"message\":5}").ok);
  EXPECT_FALSE(chat("{\"message\":null}").ok);
  EXPECT_FALSE(chat("[1]").ok);
  EXPECT_TRUE(chat("{\"message\":\"hi\"}").ok);
}

TEST(ConversationFields, SessionIdIsAUuidOrAbsentOrNull) {
  auto fresh = chat("{\"message\":\"hi\"}");
  EXPECT_TRUE(fresh.ok);
  EXPECT_TRUE(fresh.r.is_new);
  auto null_id = chat("{\"message\":\"hi\",\"session_id\":null}");
  EXPECT_TRUE(null_id.ok);
  EXPECT_TRUE(null_id.r.is_new);
  auto upper = chat("{\"message\":\"hi\",\"session_id\":\"0B7A4F0E-1D0C-4A8E-9A51-8D4C9F3E2B10\"}");
  EXPECT_TRUE(upper.ok);
  EXPECT_FALSE(upper.r.is_new);
  EXPECT_EQ(upper.r.session_id, "0b7a4f0e-1d0c-4a8e-9a51-8d4c9f3e2b10");
  for (auto bad : {"\"abc\"", "\"\"", "7", "\"0b7a4f0e-1d0c-4a8e-9a51-8d4c9f3e2b1g\""}) {
    auto r = chat(std::string{"{\"message\":\"hi\",\"session_id\":"} + bad + "}");
    EXPECT_FALSE(r.ok) << bad;
    EXPECT_NE(r.details.find("session_id"), std::string::npos) << r.details;
  }
}

TEST(ConversationFields, LocaleIsOptionalLikeDetect) {
  EXPECT_TRUE(chat("{\"message\":\"hi\",\"locale\":\"sw-KE\"}").ok);
  EXPECT_TRUE(chat("{\"message\":\"hi\",\"locale\":null}").ok);
  EXPECT_FALSE(chat("{\"message\":\"hi\",\"locale\":\"not a locale\"}").ok);
  EXPECT_FALSE(chat("{\"message\":\"hi\",\"locale\":3}").ok);
  // Every broken rule in one answer.
  auto both = chat("{\"message\":\"\",\"locale\":3,\"session_id\":\"x\"}");
  EXPECT_NE(both.details.find("locale"), std::string::npos);
  EXPECT_NE(both.details.find("session_id"), std::string::npos);
}

TEST(ConversationFields, PagingParameters) {
  caf::error err;
  auto q = read_page(std::nullopt, std::nullopt, err);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->limit, 50u);
  EXPECT_EQ(q->before, "");
  EXPECT_EQ(read_page(std::string_view{"200"}, std::nullopt, err)->limit, 200u);
  EXPECT_EQ(read_page(std::string_view{"1"}, std::nullopt, err)->limit, 1u);
  for (auto bad : {"0", "201", "-1", "", "1x", "99999999999"}) {
    EXPECT_FALSE(read_page(std::string_view{bad}, std::nullopt, err)) << bad;
    EXPECT_EQ(err, make_error(errc::validation_failed));
  }
  EXPECT_FALSE(read_page(std::nullopt, std::string_view{"nope"}, err));
  EXPECT_EQ(read_page(std::nullopt, std::string_view{"0B7A4F0E-1D0C-4A8E-9A51-8D4C9F3E2B10"}, err)
                ->before,
            "0b7a4f0e-1d0c-4a8e-9a51-8d4c9f3e2b10");
}

TEST(ConversationReply, ResourcesAreAddedOnlyWhenNeededAndMissing) {
  fallback_templates t;
  t.add("en", "resources", "Please call {resources}.");
  t.add("en", "or", "or");
  std::vector<crisis_resource_view> lines{{"Samaritans", "116 123", "", "en-GB"}};
  EXPECT_EQ(with_resources("Hello.", t, "en", 2, lines), "Hello.");
  EXPECT_EQ(with_resources("Hello.", t, "en", 3, lines),
            "Hello.\n\nPlease call Samaritans (116 123).");
  EXPECT_EQ(with_resources("Call 116 123 now.", t, "en", 4, lines), "Call 116 123 now.");
  EXPECT_EQ(with_resources("Samaritans can help.", t, "en", 4, lines), "Samaritans can help.");
}

TEST(ConversationReply, ProviderHistoryIsOldestFirstAndBounded) {
  std::vector<history_item> newest_first{
      {"assistant", "three"}, {"user", "two"}, {"assistant", std::string(20000, 'x')}};
  auto msgs = provider_messages("sys", newest_first, "now", 100);
  ASSERT_EQ(msgs.size(), 4u); // system, two, three, now: the 20 kB one is dropped
  EXPECT_EQ(msgs[0].role, "system");
  EXPECT_EQ(msgs[1].content, "two");
  EXPECT_EQ(msgs[2].content, "three");
  EXPECT_EQ(msgs[3].role, "user");
  EXPECT_EQ(msgs[3].content, "now");
  auto prompt = system_prompt("sw-KE", 4, {{"Befrienders Kenya", "+254 722 178 177", "", "sw"}});
  EXPECT_NE(prompt.find("sw-KE"), std::string::npos);
  EXPECT_NE(prompt.find("+254 722 178 177"), std::string::npos);
}

TEST(ConversationJson, ChatAnswerHasTheContractShape) {
  chat_result r;
  r.session_id = "s";
  r.message_id = "m";
  r.reply_text = "hello \"you\"";
  r.reply_source = "fallback";
  r.safety_action = "allow";
  r.crisis.risk_level = "none";
  auto body = chat_body(r);
  simdjson::dom::parser p;
  auto doc = p.parse(body);
  ASSERT_FALSE(doc.error()) << body;
  EXPECT_EQ(std::string_view(doc["reply"]["text"]), "hello \"you\"");
  EXPECT_EQ(std::string_view(doc["reply"]["source"]), "fallback");
  EXPECT_EQ(std::string_view(doc["safety"]["action"]), "allow");
  EXPECT_EQ(doc["safety"]["categories"].get_array().size(), 0u);
  EXPECT_EQ(std::string_view(doc["crisis"]["risk_level"]), "none");
  EXPECT_EQ(double(doc["crisis"]["score"]), 0.0);
  EXPECT_FALSE(bool(doc["crisis"]["escalate"]));
  EXPECT_EQ(doc["crisis"]["resources"].get_array().size(), 0u);
  EXPECT_EQ(std::string_view(doc["session_id"]), "s");
  EXPECT_EQ(std::string_view(doc["message_id"]), "m");
}

TEST(ConversationJson, ListingsHaveTheContractShape) {
  auto s = sessions_body({{"id1", "2026-01-01T00:00:00.000Z", "", 4, "high"}});
  EXPECT_EQ(s, "{\"sessions\":[{\"id\":\"id1\",\"created_at\":\"2026-01-01T00:00:00.000Z\","
               "\"last_message_at\":null,\"message_count\":4,\"max_risk_level\":\"high\"}]}");
  auto m = messages_body({{"m1", "user", "hi", "t"}});
  EXPECT_EQ(m, "{\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"text\":\"hi\",\"created_at\":"
               "\"t\"}]}");
}

TEST(ConversationSql, ByteaHexRoundTrip) {
  std::string raw{"\x00\x01\xff", 3};
  EXPECT_EQ(to_bytea_hex(raw), "\\x0001ff");
  EXPECT_EQ(from_bytea_hex("\\x0001ff"), raw);
  EXPECT_FALSE(from_bytea_hex("0001ff"));
  EXPECT_FALSE(from_bytea_hex("\\x0g"));
  EXPECT_EQ(risk_rank("critical"), 4);
  EXPECT_STREQ(risk_name(3), "high");
}

} // namespace
} // namespace haven::sessions
