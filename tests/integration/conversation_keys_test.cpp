// Key rotation (docs/conversations.md "Key rotation"): rows sealed under key
// A stay readable once B is current and A is listed as old; `haven
// reencrypt` moves every row to B, after which a node holding only B reads
// them all; a node whose ring lacks the key answers 500 for that history,
// never wrong text. The prod profile refuses to start without HAVEN_DATA_KEY.
#include "tests/integration/conversation_test_support.hpp"

namespace haven::test::conversation {
namespace {

const std::string key_a = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
const std::string key_b = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

class ConversationKeys : public stack_test {
 protected:
  static void SetUpTestSuite() { start_stack(); }
  static void TearDownTestSuite() { stop_stack(); }

  env_map env(env_map extra) {
    extra["HAVEN_JWT_KEY_DIR"] = stack_->dir() + "/keys";
    return auth_env(*stack_, extra);
  }
  std::string distinct_keys() {
    return pg_scalar(stack_->pg_url(), "SELECT count(DISTINCT key_id) FROM conversation_messages");
  }
};

TEST_F(ConversationKeys, RotateThenReencrypt) {
  std::string sid;
  account u;
  {
    haven_process node{env({{"HAVEN_DATA_KEY", key_a}})};
    ASSERT_TRUE(node.wait_until_ready()) << node.log_text();
    u = register_account(node.port());
    auto r = chat(node.port(), u, "sealed under a");
    ASSERT_EQ(r.status, 200) << r.body;
    sid = field(r, "/session_id");
  }
  auto path = "/v1/conversation/sessions/" + sid + "/messages";
  {
    haven_process node{env({{"HAVEN_DATA_KEY", key_b}, {"HAVEN_DATA_KEYS_OLD", key_a}})};
    ASSERT_TRUE(node.wait_until_ready()) << node.log_text();
    ASSERT_EQ(chat(node.port(), u, "sealed under b", sid).status, 200);
    auto all = call(node.port(), "GET", path, {}, u.access);
    ASSERT_EQ(all.status, 200) << all.body;
    EXPECT_EQ(field(all, "/messages/3/text"), "sealed under a");
    EXPECT_EQ(field(all, "/messages/1/text"), "sealed under b");
  }
  EXPECT_EQ(distinct_keys(), "2");
  {
    haven_process node{env({{"HAVEN_DATA_KEY", key_b}})}; // a is gone from the ring
    ASSERT_TRUE(node.wait_until_ready()) << node.log_text();
    auto all = call(node.port(), "GET", path, {}, u.access);
    EXPECT_EQ(all.status, 500) << all.body;
    EXPECT_EQ(all.body.find("sealed under"), std::string::npos);
  }
  // Without the old key, reencrypt reports the rows it cannot open.
  auto missing = run_haven({"reencrypt"}, env({{"HAVEN_DATA_KEY", key_b}}));
  EXPECT_EQ(missing.exit_code, 1) << missing.out << missing.err;
  EXPECT_NE(missing.out.find("2 could not be opened"), std::string::npos) << missing.out;
  auto done =
      run_haven({"reencrypt"}, env({{"HAVEN_DATA_KEY", key_b}, {"HAVEN_DATA_KEYS_OLD", key_a}}));
  EXPECT_EQ(done.exit_code, 0) << done.out << done.err;
  EXPECT_NE(done.out.find("reencrypted 2 messages"), std::string::npos) << done.out;
  EXPECT_EQ(distinct_keys(), "1");
  EXPECT_EQ(done.out.find(key_a), std::string::npos);
  EXPECT_EQ(done.err.find(key_b), std::string::npos);
  {
    haven_process node{env({{"HAVEN_DATA_KEY", key_b}})};
    ASSERT_TRUE(node.wait_until_ready()) << node.log_text();
    auto all = call(node.port(), "GET", path, {}, u.access);
    ASSERT_EQ(all.status, 200) << all.body;
    EXPECT_EQ(field(all, "/messages/3/text"), "sealed under a");
  }
}

TEST_F(ConversationKeys, SecretsAreMaskedAndProdNeedsTheKey) {
  auto check =
      run_haven({"config", "check"},
                env({{"HAVEN_DATA_KEYS_OLD", key_a}, {"HAVEN_LLM_API_KEY", "sk-abc-123"}}));
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out.find(key_a), std::string::npos);
  EXPECT_EQ(check.out.find("sk-abc-123"), std::string::npos);
  EXPECT_NE(check.out.find("HAVEN_LLM_API_KEY"), std::string::npos);
  auto prod = run_haven({"serve"}, env({{"HAVEN_ENV", "prod"}}), std::chrono::seconds(10));
  EXPECT_EQ(prod.exit_code, 2) << prod.err;
  EXPECT_NE(prod.err.find("HAVEN_DATA_KEY"), std::string::npos) << prod.err;
}

} // namespace
} // namespace haven::test::conversation
