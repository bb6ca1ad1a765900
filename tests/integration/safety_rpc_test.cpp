// API.md section 9 request-reply ingress: <prefix>.rpc.crisis.detect and
// <prefix>.rpc.safety.validate answer {"status", "body"} with the HTTP bodies,
// the token in the NATS header Authorization.
#include "tests/integration/safety_test_support.hpp"

namespace haven::test::safety {
namespace {

class SafetyRpc : public auth_suite {
 protected:
  // One NATS request; the reply's data, or "<no reply>".
  static std::string rpc(const std::string& subject, const std::string& body,
                         const std::string& token) {
    raw_nats nats{stack_->nats_url()};
    natsMsg* msg = nullptr;
    natsMsg* answer = nullptr;
    if (natsMsg_Create(&msg, subject.c_str(), nullptr, body.data(),
                       static_cast<int>(body.size())) != NATS_OK)
      return "<no message>";
    if (!token.empty())
      natsMsgHeader_Set(msg, "Authorization", ("Bearer " + token).c_str());
    natsStatus s = natsConnection_RequestMsg(&answer, nats.get(), msg, 10000);
    natsMsg_Destroy(msg);
    if (s != NATS_OK)
      return "<no reply>";
    std::string out{natsMsg_GetData(answer), static_cast<size_t>(natsMsg_GetDataLength(answer))};
    natsMsg_Destroy(answer);
    return out;
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

} // namespace
} // namespace haven::test::safety
