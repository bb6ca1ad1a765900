// HAVEN_MODERATION_* against the real binary and stack: thresholds and PII
// redaction of POST /v1/safety/validate follow the node's settings, only the
// listed categories change, and a bad list stops start-up naming the key
// (docs/safety.md, "Policy settings").
#include "tests/integration/safety_test_support.hpp"

namespace haven::test::safety {
namespace {

class SafetyPolicy : public stack_test {
 protected:
  /// A ready node with the suite's stack, throttles out of the way, plus `extra`.
  static std::unique_ptr<haven_process> start(const env_map& extra = {}) {
    auto node = std::make_unique<haven_process>(auth_env(the_stack(), extra));
    EXPECT_TRUE(node->wait_until_ready()) << node->log_text();
    return node;
  }

  static http_response validate(uint16_t port, const account& a, const std::string& text,
                                const std::string& direction) {
    return call(port, "POST", "/v1/safety/validate",
                obj({{"text", text}, {"direction", direction}}), a.access);
  }
};

const std::string insult = "you are such a stupid idiot";
const std::string email_text = "write to jane.doe@example.org tomorrow";

TEST_F(SafetyPolicy, DefaultsAllowAnInsultOnInputAndRedactEmails) {
  auto node = start();
  auto u = register_account(node->port());
  auto r = validate(node->port(), u, insult, "input");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/action"), "allow");
  EXPECT_EQ(field(r, "/allowed"), "true");
  EXPECT_EQ(field(r, "/categories/0/name"), "harassment") << r.body;
  auto pii = validate(node->port(), u, email_text, "input");
  EXPECT_EQ(field(pii, "/action"), "redact") << pii.body;
  EXPECT_EQ(field(pii, "/text"), "write to [EMAIL] tomorrow");
}

TEST_F(SafetyPolicy, SettingsLowerABlockThresholdAndSwitchOffInputRedaction) {
  auto node = start({{"HAVEN_MODERATION_INPUT_BLOCK", "harassment=0.1"},
                     {"HAVEN_MODERATION_INPUT_REDACT_PII", "0"}});
  auto u = register_account(node->port());

  auto r = validate(node->port(), u, insult, "input");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/action"), "block");
  EXPECT_EQ(field(r, "/allowed"), "false");
  EXPECT_EQ(field(r, "/text"), "");
  EXPECT_EQ(field(r, "/categories/0/name"), "harassment") << r.body;

  // Everything else keeps its defaults: clean text passes, a threat still
  // blocks, and output still blocks the insult at its own threshold.
  auto clean = validate(node->port(), u, "I had a lovely walk by the lake", "input");
  EXPECT_EQ(field(clean, "/action"), "allow") << clean.body;
  auto threat = validate(node->port(), u, "I am going to kill you tomorrow", "input");
  EXPECT_EQ(field(threat, "/action"), "block") << threat.body;
  EXPECT_EQ(field(threat, "/categories/0/name"), "violence_threat") << threat.body;
  EXPECT_EQ(field(validate(node->port(), u, insult, "output"), "/action"), "block");

  // Input keeps the e-mail; output still redacts it (its own key, default 1).
  auto in = validate(node->port(), u, email_text, "input");
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(field(in, "/action"), "allow");
  EXPECT_EQ(field(in, "/text"), email_text);
  EXPECT_EQ(field(in, "/categories/0/name"), "pii") << "PII is still reported: " << in.body;
  auto out = validate(node->port(), u, email_text, "output");
  EXPECT_EQ(field(out, "/action"), "redact") << out.body;
  EXPECT_EQ(field(out, "/text"), "write to [EMAIL] tomorrow");
}

TEST_F(SafetyPolicy, NeverSwitchesAnOutputBlockOff) {
  // By default an insult in output blocks (harassment 0.30); `never` lets it through.
  auto node = start({{"HAVEN_MODERATION_OUTPUT_BLOCK", "harassment=never"}});
  auto u = register_account(node->port());
  auto r = validate(node->port(), u, insult, "output");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/action"), "allow");
  EXPECT_EQ(field(r, "/text"), insult);
  auto threat = validate(node->port(), u, "I am going to kill you tomorrow", "output");
  EXPECT_EQ(field(threat, "/action"), "block") << threat.body;
}

TEST_F(SafetyPolicy, ABadListStopsStartUpNamingTheKey) {
  const std::pair<std::string, std::string> cases[] = {
      {"HAVEN_MODERATION_INPUT_BLOCK", "insults=0.5"},
      {"HAVEN_MODERATION_INPUT_REVIEW", "hate=0.4,hate=0.5"},
      {"HAVEN_MODERATION_OUTPUT_BLOCK", "hate=high"},
      {"HAVEN_MODERATION_OUTPUT_REVIEW", "hate=0"},
      {"HAVEN_MODERATION_OUTPUT_REDACT_PII", "no"},
  };
  for (const auto& [key, value] : cases) {
    SCOPED_TRACE(key + "=" + value);
    auto r = run_haven({"serve"}, node_env(the_stack(), {{key, value}}));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err.rfind("haven: invalid configuration: " + key + ": expected ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(value), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not one line: " << r.err;
    EXPECT_EQ(r.out.find("listening"), std::string::npos);
  }
}

TEST_F(SafetyPolicy, ConfigCheckPrintsTheNewKeys) {
  auto r = run_haven({"config", "check"},
                     node_env(the_stack(), {{"HAVEN_MODERATION_INPUT_BLOCK", "harassment=0.1"},
                                            {"HAVEN_ARGON_MEMORY_KIB", "1024"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* line :
       {"HAVEN_ARGON_MEMORY_KIB=1024\n", "HAVEN_ARGON_ITERATIONS=2\n", "HAVEN_HASH_WORKERS=0\n",
        "HAVEN_MODERATION_INPUT_BLOCK=harassment=0.1\n", "HAVEN_MODERATION_INPUT_REVIEW=\n",
        "HAVEN_MODERATION_OUTPUT_BLOCK=\n", "HAVEN_MODERATION_OUTPUT_REVIEW=\n",
        "HAVEN_MODERATION_INPUT_REDACT_PII=1\n", "HAVEN_MODERATION_OUTPUT_REDACT_PII=1\n"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << r.out;
}

} // namespace
} // namespace haven::test::safety
