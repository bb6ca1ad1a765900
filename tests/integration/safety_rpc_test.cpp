// API.md section 9 request-reply ingress: <prefix>.rpc.crisis.detect and
// <prefix>.rpc.safety.validate answer {"status", "body"} with the HTTP bodies,
// the token in the NATS header Authorization.
#include "tests/integration/safety_test_support.hpp"
#include "tests/integration/support/metrics.hpp"
#include "tests/integration/support/poll.hpp"

namespace haven::test::safety {
namespace {

class SafetyRpc : public auth_suite {
 protected:
  // One NATS request; the reply's data, or "<no reply>".
  static std::string rpc(const std::string& subject, const std::string& body,
                         const std::string& token) {
    return rpc_request(stack_->nats_url(), subject, body, token);
  }
};

TEST_F(SafetyRpc, DetectAndValidateOverNats) {
  auto u = register_account(port());
  auto r =
      rpc("haven.rpc.crisis.detect",
          text_body("I wrote my suicide note and I am going to kill myself tonight"), u.access);
  EXPECT_EQ(field(r, "/status"), "200") << r;
  EXPECT_EQ(field(r, "/body/risk_level"), "critical") << r;
  EXPECT_EQ(field(r, "/body/event_id").size(), 36u) << r;

  auto calm = rpc("haven.rpc.crisis.detect", text_body("this traffic is killing me"), u.access);
  EXPECT_EQ(field(calm, "/body/risk_level"), "none") << calm;
  EXPECT_EQ(field(calm, "/body/event_id"), "<null>");

  auto v = rpc("haven.rpc.safety.validate",
               obj({{"text", "write to jane@example.org"}, {"direction", "output"}}), u.access);
  EXPECT_EQ(field(v, "/status"), "200") << v;
  EXPECT_EQ(field(v, "/body/text"), "write to [EMAIL]");
  EXPECT_EQ(field(v, "/body/action"), "redact");
}

TEST_F(SafetyRpc, ErrorsAnswerWithTheHttpStatusAndBody) {
  auto u = register_account(port());
  auto none = rpc("haven.rpc.crisis.detect", text_body("hi"), "");
  EXPECT_EQ(field(none, "/status"), "401") << none;
  EXPECT_EQ(field(none, "/body/error/code"), "unauthorized");
  auto forged = rpc("haven.rpc.crisis.detect", text_body("hi"), u.access + "x");
  EXPECT_EQ(field(forged, "/status"), "401") << forged;
  auto bad = rpc("haven.rpc.crisis.detect", "{\"text\": ", u.access);
  EXPECT_EQ(field(bad, "/status"), "400") << bad;
  auto rule = rpc("haven.rpc.safety.validate", obj({{"text", "hi"}}), u.access);
  EXPECT_EQ(field(rule, "/status"), "422") << rule;
  EXPECT_EQ(field(rule, "/body/error/details/0/field"), "direction");
  // A logged-out token is refused here too (the ingress has its own revoked set).
  ASSERT_EQ(call(port(), "POST", "/v1/auth/logout", {}, u.access).status, 204);
  bool refused = false;
  for (int i = 0; i < 50 && !refused; ++i) {
    refused = field(rpc("haven.rpc.crisis.detect", text_body("hi"), u.access), "/status") == "401";
    if (!refused)
      std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(refused) << "revoked token still accepted over NATS";
}

// Audit M6: the node answers only on an inbox. A reply subject inside the
// node's own namespace would make it publish there under its identity.
TEST_F(SafetyRpc, AnswersOnlyOnAnInboxReplySubject) {
  auto u = register_account(port());
  raw_nats nats{stack_->nats_url()};
  natsSubscription* sub = nullptr;
  ASSERT_EQ(natsConnection_SubscribeSync(&sub, nats.get(), "haven.spoof.>"), NATS_OK);
  auto before = metric(port(), "haven_rpc_refused_total{reason=\"reply_subject\"}");
  for (const char* reply : {"haven.spoof.reply", "haven.spoof._INBOX.x"}) {
    natsMsg* msg = nullptr;
    const std::string body = text_body("hello");
    ASSERT_EQ(natsMsg_Create(&msg, "haven.rpc.crisis.detect", reply, body.data(),
                             static_cast<int>(body.size())),
              NATS_OK);
    natsMsgHeader_Set(msg, "Authorization", ("Bearer " + u.access).c_str());
    ASSERT_EQ(natsConnection_PublishMsg(nats.get(), msg), NATS_OK);
    natsMsg_Destroy(msg);
  }
  ASSERT_EQ(natsConnection_Flush(nats.get()), NATS_OK);
  // A real request after them is answered: the spoofed ones were seen first.
  EXPECT_EQ(field(rpc("haven.rpc.crisis.detect", text_body("hello"), u.access), "/status"), "200");
  natsMsg* got = nullptr;
  EXPECT_EQ(natsSubscription_NextMsg(&got, sub, 500), NATS_TIMEOUT) << "answered a non-inbox";
  if (got != nullptr)
    natsMsg_Destroy(got);
  natsSubscription_Destroy(sub);
  EXPECT_TRUE(eventually(
      [&] {
        return metric(port(), "haven_rpc_refused_total{reason=\"reply_subject\"}") >= before + 2;
      },
      5s));
}

TEST_F(SafetyRpc, RequestIdTravelsBackInTheAnswer) {
  auto u = register_account(port());
  raw_nats nats{stack_->nats_url()};
  natsMsg* msg = nullptr;
  natsMsg* answer = nullptr;
  const std::string body = text_body("hello");
  ASSERT_EQ(natsMsg_Create(&msg, "haven.rpc.crisis.detect", nullptr, body.data(),
                           static_cast<int>(body.size())),
            NATS_OK);
  natsMsgHeader_Set(msg, "Authorization", ("Bearer " + u.access).c_str());
  natsMsgHeader_Set(msg, "Haven-Request-Id", "rpc-trace-42");
  ASSERT_EQ(natsConnection_RequestMsg(&answer, nats.get(), msg, 10000), NATS_OK);
  natsMsg_Destroy(msg);
  const char* rid = nullptr;
  EXPECT_EQ(natsMsgHeader_Get(answer, "Haven-Request-Id", &rid), NATS_OK);
  EXPECT_STREQ(rid, "rpc-trace-42");
  natsMsg_Destroy(answer);
}

// API.md section 9: rpc requests spend the same rate-limit bucket as HTTP.
class SafetyRpcLimited : public SafetyRpc {
 protected:
  static void SetUpTestSuite() { start({{"HAVEN_RATE_LIMIT_FREE", "6"}}); }
};

TEST_F(SafetyRpcLimited, RpcAndHttpShareTheCallersBucket) {
  auto u = register_account(port());
  int http_ok = 0, rpc_ok = 0, rpc_limited = 0;
  for (int i = 0; i < 3; ++i)
    http_ok +=
        call(port(), "POST", "/v1/crisis/detect", text_body("hello"), u.access).status == 200;
  for (int i = 0; i < 6; ++i) {
    auto r = field(rpc("haven.rpc.crisis.detect", text_body("hello"), u.access), "/status");
    rpc_ok += r == "200";
    rpc_limited += r == "429";
  }
  EXPECT_EQ(http_ok, 3);
  EXPECT_EQ(rpc_ok, 3) << "rpc requests did not spend the HTTP requests' bucket";
  EXPECT_EQ(rpc_limited, 3);
  auto limited = rpc("haven.rpc.crisis.detect", text_body("hello"), u.access);
  EXPECT_EQ(field(limited, "/body/error/code"), "rate_limited") << limited;
  EXPECT_EQ(call(port(), "POST", "/v1/crisis/detect", text_body("hello"), u.access).status, 429);
}

} // namespace
} // namespace haven::test::safety
