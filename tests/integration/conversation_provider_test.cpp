// The provider path (docs/conversations.md "The provider"): a fake
// OpenAI-compatible server inside the test (the io/llm tests' loopback fake)
// answering normally, slowly (past HAVEN_LLM_TIMEOUT_MS), with 500, with
// malformed JSON, or never; the chat answers with source "provider" or falls
// back to "fallback" accordingly, names a crisis line at critical even when
// the provider did not, never sends blocked input, and moderates the reply.
#include "tests/integration/conversation_test_support.hpp"
// The fake provider is the client's test server; compiled here as well.
#include "tests/unit/io/llm/fake_provider.cpp"

namespace haven::test::conversation {
namespace {

using llm::testing::fake_provider;
using llm::testing::mode;
using llm::testing::reply_json;

const std::string api_key = "sk-test-provider-secret-7731";

class ConversationProvider : public auth_suite {
 protected:
  static void SetUpTestSuite() {
    fake_ = std::make_unique<fake_provider>();
    start({{"HAVEN_LLM_URL", fake_->url()},
           {"HAVEN_LLM_MODEL", "test-model"},
           {"HAVEN_LLM_API_KEY", api_key},
           {"HAVEN_LLM_TIMEOUT_MS", "1500"}});
  }
  static void TearDownTestSuite() {
    stop();
    fake_.reset();
  }
  void SetUp() override {
    auth_suite::SetUp();
    fake_->set_mode(mode::answer);
    fake_->set_response(200, reply_json("I hear you. Tell me more."));
  }
  static inline std::unique_ptr<fake_provider> fake_;
};

TEST_F(ConversationProvider, NormalAnswerComesFromTheProvider) {
  auto u = register_account(port());
  auto before = fake_->requests().size();
  auto r = chat(port(), u, "I argued with my brother, write to me at bob@example.org");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/reply/source"), "provider");
  EXPECT_EQ(field(r, "/reply/text"), "I hear you. Tell me more.");
  ASSERT_TRUE(fake_->wait_for_requests(before + 1));
  auto req = fake_->requests().back();
  EXPECT_EQ(req.headers["authorization"], "Bearer " + api_key);
  EXPECT_EQ(field(req.body, "/model"), "test-model");
  EXPECT_EQ(field(req.body, "/messages/0/role"), "system");
  EXPECT_EQ(field(req.body, "/messages/1/role"), "user");
  // The provider gets the redacted text.
  EXPECT_EQ(field(req.body, "/messages/1/content"),
            "I argued with my brother, write to me at [EMAIL]");

  // The next turn carries the session's history, oldest first.
  auto next = chat(port(), u, "He does not listen", field(r, "/session_id"));
  ASSERT_EQ(next.status, 200) << next.body;
  auto req2 = fake_->requests().back();
  EXPECT_EQ(field(req2.body, "/messages/1/content"),
            "I argued with my brother, write to me at [EMAIL]");
  EXPECT_EQ(field(req2.body, "/messages/2/role"), "assistant");
  EXPECT_EQ(field(req2.body, "/messages/3/content"), "He does not listen");
  EXPECT_EQ(node_->log_text().find(api_key), std::string::npos) << "API key in the log";
}

TEST_F(ConversationProvider, CriticalReplyGetsTheLinesWhenTheProviderNamesNone) {
  auto u = register_account(port());
  auto r = chat(port(), u, critical_text, {}, "sw-KE");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/reply/source"), "provider");
  EXPECT_EQ(field(r, "/crisis/risk_level"), "critical");
  auto text = field(r, "/reply/text");
  EXPECT_EQ(text.rfind("I hear you. Tell me more.", 0), 0u) << text;
  EXPECT_TRUE(reply_names_a_resource(r.body)) << r.body;
  auto req = fake_->requests().back();
  EXPECT_NE(field(req.body, "/messages/0/content").find("Befrienders"), std::string::npos)
      << "the system prompt names the lines";
}

TEST_F(ConversationProvider, FailuresFallBack) {
  auto u = register_account(port());
  struct {
    const char* what;
    mode m;
    int status;
    std::string body;
  } cases[] = {
      {"500", mode::answer, 500, "{\"error\":\"boom\"}"},
      {"malformed", mode::answer, 200, "{\"choices\": [ not json"},
      {"no content", mode::answer, 200, "{\"choices\":[]}"},
      {"slow", mode::slow, 200, reply_json("too late")},
      {"hung", mode::hang, 200, reply_json("never")},
  };
  for (auto& c : cases) {
    fake_->set_mode(c.m);
    fake_->set_response(c.status, c.body);
    auto r = chat(port(), u, std::string{"case "} + c.what);
    ASSERT_EQ(r.status, 200) << c.what << ": " << r.body;
    EXPECT_EQ(field(r, "/reply/source"), "fallback") << c.what;
    EXPECT_NE(field(r, "/reply/text").find("automated"), std::string::npos) << c.what;
  }
  fake_->set_mode(mode::answer);
  fake_->set_response(200, reply_json("back again"));
  auto ok = chat(port(), u, "and now?");
  EXPECT_EQ(field(ok, "/reply/source"), "provider") << ok.body;
}

TEST_F(ConversationProvider, BlockedInputNeverReachesTheProvider) {
  auto u = register_account(port());
  auto before = fake_->requests().size();
  auto r = chat(port(), u, "I am going to kill you tomorrow, I know where you live");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/safety/action"), "block");
  EXPECT_EQ(field(r, "/reply/source"), "fallback");
  EXPECT_EQ(fake_->requests().size(), before);
}

TEST_F(ConversationProvider, ProviderReplyIsModerated) {
  auto u = register_account(port());
  fake_->set_response(200, reply_json("You could email carol@example.org for advice."));
  auto r = chat(port(), u, "who can I talk to?");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/reply/text"), "You could email [EMAIL] for advice.");
  fake_->set_response(200, reply_json("Here is how to hurt yourself: take 40 pills of "
                                      "paracetamol, that is the lethal dose"));
  auto bad = chat(port(), u, "tell me something");
  ASSERT_EQ(bad.status, 200) << bad.body;
  EXPECT_EQ(field(bad, "/reply/source"), "fallback") << bad.body;
  EXPECT_EQ(field(bad, "/reply/text").find("pills"), std::string::npos);
}

} // namespace
} // namespace haven::test::conversation
