// POST /v1/conversation/chat and the session listings (API.md section 5)
// against a real node, PostgreSQL, Redis and NATS: new and continued
// sessions, isolation between users, a critical message (resources named,
// escalation stored for the counselor and emitted), a calm message after it,
// blocked input, listings, paging, delete, and no message text in the log or
// in a pg_dump.
#include <atomic>
#include <thread>

#include "tests/integration/conversation_test_support.hpp"

namespace haven::test::conversation {
namespace {

class ConversationChat : public auth_suite {
 protected:
  // Insults block in input here, so a blocked message without crisis
  // signals exists (by default only threats and the like block, and a threat
  // of violence is a crisis signal too).
  static void SetUpTestSuite() { start({{"HAVEN_MODERATION_INPUT_BLOCK", "harassment=0.1"}}); }
  static std::string db() { return stack_->pg_url(); }
};

TEST_F(ConversationChat, NewSessionThenContinuingIt) {
  auto u = register_account(port());
  auto first = chat(port(), u, "Hello, I had a long day at work");
  ASSERT_EQ(first.status, 200) << first.body;
  auto sid = field(first, "/session_id");
  EXPECT_EQ(sid.size(), 36u);
  EXPECT_EQ(field(first, "/message_id").size(), 36u);
  EXPECT_EQ(field(first, "/reply/source"), "fallback");
  EXPECT_NE(field(first, "/reply/text").find("automated"), std::string::npos) << first.body;
  EXPECT_EQ(field(first, "/safety/action"), "allow");
  EXPECT_EQ(field(first, "/safety/categories"), "[]");
  EXPECT_EQ(field(first, "/crisis/risk_level"), "none");
  EXPECT_EQ(field(first, "/crisis/escalate"), "false");
  EXPECT_EQ(field(first, "/crisis/resources"), "[]");
  EXPECT_EQ(first.header_or_empty("content-type"), "application/json");

  auto second = chat(port(), u, "Thanks for listening", sid);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(field(second, "/session_id"), sid);
  EXPECT_NE(field(second, "/message_id"), field(first, "/message_id"));

  auto list = call(port(), "GET", "/v1/conversation/sessions", {}, u.access);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(field(list, "/sessions/0/id"), sid);
  EXPECT_EQ(field(list, "/sessions/0/message_count"), "4");
  EXPECT_EQ(field(list, "/sessions/0/max_risk_level"), "none");
  EXPECT_EQ(field(list, "/sessions/1"), "<missing>");
  EXPECT_EQ(pg_scalar(db(), "SELECT version FROM conversation_sessions WHERE id = '" + sid + "'"),
            "2");
}

TEST_F(ConversationChat, SwahiliLocaleGetsSwahiliFallback) {
  auto u = register_account(port());
  auto r = chat(port(), u, "Habari, nimechoka sana leo", {}, "sw-KE");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(field(r, "/reply/text").find("kiotomatiki"), std::string::npos) << r.body;
}

TEST_F(ConversationChat, AnotherUsersSessionIs404Everywhere) {
  auto a = register_account(port());
  auto b = register_account(port());
  auto r = chat(port(), a, "my own thoughts");
  ASSERT_EQ(r.status, 200) << r.body;
  auto sid = field(r, "/session_id");
  auto stolen = chat(port(), b, "let me in", sid);
  EXPECT_EQ(stolen.status, 404) << stolen.body;
  EXPECT_EQ(field(stolen, "/error/code"), "not_found");
  auto base = "/v1/conversation/sessions/" + sid;
  EXPECT_EQ(call(port(), "GET", base + "/messages", {}, b.access).status, 404);
  EXPECT_EQ(call(port(), "DELETE", base, {}, b.access).status, 404);
  // b's listing does not show it; a's session is intact.
  auto list = call(port(), "GET", "/v1/conversation/sessions", {}, b.access);
  EXPECT_EQ(list.body, "{\"sessions\":[]}");
  auto own = call(port(), "GET", base + "/messages", {}, a.access);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(field(own, "/messages/1/text"), "my own thoughts");
  // An id nobody has, and one that is not an id.
  EXPECT_EQ(chat(port(), a, "hi", "00000000-0000-4000-8000-000000000000").status, 404);
  EXPECT_EQ(call(port(), "GET", "/v1/conversation/sessions/nope/messages", {}, a.access).status,
            404);
  EXPECT_EQ(chat(port(), a, "hi", "nope").status, 422);
}

TEST_F(ConversationChat, CriticalMessageNamesALineStoresTheEventAndEmitsIt) {
  raw_nats nats{stack_->nats_url()};
  auto* sub = nats.subscribe("haven.events.crisis.detected");
  auto team = make_team(port(), "chat-crisis");
  auto r = chat(port(), team.user, critical_text, {}, "sw-KE");
  ASSERT_EQ(r.status, 200) << r.body;
  auto sid = field(r, "/session_id");
  EXPECT_EQ(field(r, "/crisis/risk_level"), "critical") << r.body;
  EXPECT_EQ(field(r, "/crisis/escalate"), "true");
  EXPECT_NE(field(r, "/crisis/resources/0/name"), "<missing>") << r.body;
  EXPECT_TRUE(reply_names_a_resource(r.body)) << r.body;
  EXPECT_NE(field(r, "/reply/text").find("+254"), std::string::npos) << r.body; // a phone
  auto event_id = field(r, "/crisis/event_id");
  EXPECT_EQ(event_id.size(), 36u) << r.body;

  auto events = call(port(), "GET", "/v1/crisis/events", {}, team.counselor.access);
  ASSERT_EQ(events.status, 200) << events.body;
  EXPECT_NE(events.body.find(event_id), std::string::npos) << events.body;
  EXPECT_NE(events.body.find("\"session_id\":\"" + sid + "\""), std::string::npos);

  auto ev = next_on(sub, "haven.events.crisis.detected", event_id);
  ASSERT_TRUE(ev) << "no crisis.detected for the chat";
  EXPECT_EQ(field(ev->data, "/data/session_id"), sid);
  EXPECT_EQ(ev->data.find("suicide note"), std::string::npos) << "message text on the bus";

  // One calm message does not drop the conversation's level.
  auto calm = chat(port(), team.user, "ok. I had some tea", sid, "sw-KE");
  ASSERT_EQ(calm.status, 200) << calm.body;
  auto level = field(calm, "/crisis/risk_level");
  EXPECT_TRUE(level == "critical" || level == "high") << calm.body;
  EXPECT_TRUE(reply_names_a_resource(calm.body)) << calm.body;
  auto list = call(port(), "GET", "/v1/conversation/sessions", {}, team.user.access);
  EXPECT_EQ(field(list, "/sessions/0/max_risk_level"), "critical") << list.body;
}

TEST_F(ConversationChat, HighRiskInEnglishStillNamesALine) {
  auto u = register_account(port());
  auto r = chat(port(), u, critical_text);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/crisis/risk_level"), "critical");
  EXPECT_NE(field(r, "/crisis/resources/0/name"), "<missing>") << r.body;
  EXPECT_TRUE(reply_names_a_resource(r.body)) << r.body;
  // A user without an organization: the event is stored without one.
  EXPECT_EQ(field(r, "/crisis/event_id").size(), 36u);
}

TEST_F(ConversationChat, BlockedInputIsAnswered200WithSupport) {
  auto u = register_account(port());
  auto r = chat(port(), u, "you are such a stupid idiot");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/safety/action"), "block");
  EXPECT_EQ(field(r, "/safety/categories/0/name"), "harassment") << r.body;
  EXPECT_EQ(field(r, "/reply/source"), "fallback");
  EXPECT_NE(field(r, "/reply/text").find("still here"), std::string::npos) << r.body;
  auto sid = field(r, "/session_id");
  auto msgs = call(port(), "GET", "/v1/conversation/sessions/" + sid + "/messages", {}, u.access);
  ASSERT_EQ(msgs.status, 200);
  EXPECT_EQ(msgs.body.find("idiot"), std::string::npos) << "blocked text stored";
  EXPECT_EQ(field(msgs, "/messages/1/text"), "[message removed by moderation]");
}

// A blocked message can be a crisis too: the crisis answer and its lines win
// over the blocked template.
TEST_F(ConversationChat, BlockedThreatStillGetsTheCrisisAnswer) {
  auto u = register_account(port());
  auto r = chat(port(), u, "I am going to kill you tomorrow, I know where you live");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/safety/action"), "block");
  EXPECT_EQ(field(r, "/safety/categories/0/name"), "violence_threat") << r.body;
  auto level = field(r, "/crisis/risk_level");
  if (level == "high" || level == "critical") {
    EXPECT_TRUE(reply_names_a_resource(r.body)) << r.body;
  }
  auto msgs =
      call(port(), "GET", "/v1/conversation/sessions/" + field(r, "/session_id") + "/messages", {},
           u.access);
  EXPECT_EQ(msgs.body.find("kill you"), std::string::npos) << "blocked text stored";
}

TEST_F(ConversationChat, PiiIsStoredRedacted) {
  auto u = register_account(port());
  auto r = chat(port(), u, "you can write to jane@example.org about it");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/safety/action"), "redact");
  auto msgs =
      call(port(), "GET", "/v1/conversation/sessions/" + field(r, "/session_id") + "/messages", {},
           u.access);
  EXPECT_EQ(field(msgs, "/messages/1/text"), "you can write to [EMAIL] about it") << msgs.body;
}

TEST_F(ConversationChat, ListingsAreNewestFirstWithCounts) {
  auto u = register_account(port());
  auto s1 = field(chat(port(), u, "first session"), "/session_id");
  auto s2 = field(chat(port(), u, "second session"), "/session_id");
  ASSERT_EQ(chat(port(), u, "more in the first", s1).status, 200);
  ASSERT_EQ(chat(port(), u, "and more", s1).status, 200);
  auto list = call(port(), "GET", "/v1/conversation/sessions", {}, u.access);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(field(list, "/sessions/0/id"), s1); // its last message is the newest
  EXPECT_EQ(field(list, "/sessions/0/message_count"), "6");
  EXPECT_EQ(field(list, "/sessions/1/id"), s2);
  EXPECT_EQ(field(list, "/sessions/1/message_count"), "2");
  EXPECT_NE(field(list, "/sessions/0/created_at").find('T'), std::string::npos);
  EXPECT_NE(field(list, "/sessions/0/last_message_at"), "<null>");
}

TEST_F(ConversationChat, MessagesPageBackwardsWithBefore) {
  auto u = register_account(port());
  auto sid = field(chat(port(), u, "one"), "/session_id");
  ASSERT_EQ(chat(port(), u, "two", sid).status, 200);
  ASSERT_EQ(chat(port(), u, "three", sid).status, 200);
  auto path = "/v1/conversation/sessions/" + sid + "/messages";
  auto all = call(port(), "GET", path, {}, u.access);
  ASSERT_EQ(all.status, 200) << all.body;
  // Newest first: reply 3, "three", reply 2, "two", reply 1, "one".
  EXPECT_EQ(field(all, "/messages/0/role"), "assistant");
  EXPECT_EQ(field(all, "/messages/1/text"), "three");
  EXPECT_EQ(field(all, "/messages/3/text"), "two");
  EXPECT_EQ(field(all, "/messages/5/text"), "one");
  EXPECT_EQ(field(all, "/messages/5/role"), "user");
  EXPECT_EQ(field(all, "/messages/6"), "<missing>");

  std::vector<std::string> paged;
  std::string before;
  for (int page = 0; page < 4; ++page) {
    auto q = path + "?limit=2" + (before.empty() ? "" : "&before=" + before);
    auto r = call(port(), "GET", q, {}, u.access);
    ASSERT_EQ(r.status, 200) << r.body;
    for (int i = 0; i < 2; ++i) {
      auto id = field(r, ("/messages/" + std::to_string(i) + "/id").c_str());
      if (id != "<missing>") {
        paged.push_back(field(r, ("/messages/" + std::to_string(i) + "/text").c_str()));
        before = id;
      }
    }
  }
  ASSERT_EQ(paged.size(), 6u);
  EXPECT_EQ(paged[1], "three");
  EXPECT_EQ(paged[5], "one");

  EXPECT_EQ(call(port(), "GET", path + "?limit=0", {}, u.access).status, 422);
  EXPECT_EQ(call(port(), "GET", path + "?limit=201", {}, u.access).status, 422);
  EXPECT_EQ(call(port(), "GET", path + "?limit=abc", {}, u.access).status, 422);
  EXPECT_EQ(call(port(), "GET", path + "?before=xyz", {}, u.access).status, 422);
  auto unknown =
      call(port(), "GET", path + "?before=00000000-0000-4000-8000-000000000000", {}, u.access);
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(field(unknown, "/error/details/0/field"), "before");
  EXPECT_EQ(call(port(), "GET", path + "?limit=200", {}, u.access).status, 200);
}

TEST_F(ConversationChat, DeleteErasesTheRows) {
  auto u = register_account(port());
  auto sid = field(chat(port(), u, "please forget this"), "/session_id");
  ASSERT_EQ(chat(port(), u, "and this", sid).status, 200);
  auto where = " WHERE session_id = '" + sid + "'";
  EXPECT_EQ(pg_scalar(db(), "SELECT count(*) FROM conversation_messages" + where), "4");
  auto del = call(port(), "DELETE", "/v1/conversation/sessions/" + sid, {}, u.access);
  EXPECT_EQ(del.status, 204) << del.body;
  EXPECT_EQ(del.body, "");
  EXPECT_EQ(pg_scalar(db(), "SELECT count(*) FROM conversation_messages" + where), "0");
  EXPECT_EQ(pg_scalar(db(), "SELECT count(*) FROM conversation_sessions WHERE id = '" + sid + "'"),
            "0");
  EXPECT_EQ(
      call(port(), "GET", "/v1/conversation/sessions/" + sid + "/messages", {}, u.access).status,
      404);
  EXPECT_EQ(call(port(), "DELETE", "/v1/conversation/sessions/" + sid, {}, u.access).status, 404);
  // The node's actor for it is gone too: a new turn is 404, not a resurrection.
  EXPECT_EQ(chat(port(), u, "back?", sid).status, 404);
}

TEST_F(ConversationChat, ValidationAndAuth) {
  auto u = register_account(port());
  std::string emoji;
  for (int i = 0; i < 4000; ++i)
    emoji += "\xF0\x9F\x98\x80";
  EXPECT_EQ(chat(port(), u, emoji).status, 200); // 4000 characters, 16000 bytes
  auto long_one = chat(port(), u, std::string(4001, 'a'));
  EXPECT_EQ(long_one.status, 422);
  EXPECT_EQ(field(long_one, "/error/details/0/field"), "message");
  auto missing = call(port(), "POST", "/v1/conversation/chat", "{}", u.access);
  EXPECT_EQ(missing.status, 422);
  auto bad_locale = call(port(), "POST", "/v1/conversation/chat",
                         "{\"message\":\"hi\",\"locale\":\"!!\"}", u.access);
  EXPECT_EQ(bad_locale.status, 422);
  EXPECT_EQ(field(bad_locale, "/error/details/0/field"), "locale");
  auto no_token = call(port(), "POST", "/v1/conversation/chat", "{\"message\":\"hi\"}");
  EXPECT_EQ(no_token.status, 401);
  EXPECT_EQ(call(port(), "GET", "/v1/conversation/sessions").status, 401);
  EXPECT_EQ(call(port(), "GET", "/v1/conversation/chat", {}, u.access).status, 405);
}

TEST_F(ConversationChat, NoMessageTextInTheLogTheDumpOrMetrics) {
  auto u = register_account(port());
  auto marker = "quokka-" + unique_email("m").substr(0, 14);
  auto r = chat(port(), u, "my secret is " + marker + " and nobody knows");
  ASSERT_EQ(r.status, 200) << r.body;
  auto sid = field(r, "/session_id");
  auto msgs = call(port(), "GET", "/v1/conversation/sessions/" + sid + "/messages", {}, u.access);
  EXPECT_NE(msgs.body.find(marker), std::string::npos) << "not readable back";
  auto dump = pg_dump_all(db());
  ASSERT_NE(dump.find("conversation_messages"), std::string::npos) << dump.substr(0, 500);
  EXPECT_EQ(dump.find(marker), std::string::npos) << "message text in a pg_dump";
  EXPECT_EQ(dump.find("my secret is"), std::string::npos);
  EXPECT_EQ(node_->log_text().find(marker), std::string::npos) << "message text in the log";
  auto metrics = call(port(), "GET", "/metrics");
  EXPECT_EQ(metrics.body.find(marker), std::string::npos);
  EXPECT_NE(metrics.body.find("haven_conversation_turns_total"), std::string::npos);
}

TEST_F(ConversationChat, ParallelTurnsOfOneSessionKeepTheirPairs) {
  auto u = register_account(port());
  auto sid = field(chat(port(), u, "start"), "/session_id");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      if (chat(port(), u, "turn " + std::to_string(i), sid).status == 200)
        ++ok;
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), 8); // one node: its actor queues them
  auto all =
      call(port(), "GET", "/v1/conversation/sessions/" + sid + "/messages?limit=200", {}, u.access);
  ASSERT_EQ(all.status, 200);
  for (int i = 0; i < 18; i += 2) {
    EXPECT_EQ(field(all, ("/messages/" + std::to_string(i) + "/role").c_str()), "assistant");
    EXPECT_EQ(field(all, ("/messages/" + std::to_string(i + 1) + "/role").c_str()), "user");
  }
  EXPECT_EQ(pg_scalar(stack_->pg_url(),
                      "SELECT version FROM conversation_sessions WHERE id = '" + sid + "'"),
            "9");
}

} // namespace
} // namespace haven::test::conversation
