// <prefix>.rpc.status.update (API.md section 9): the PUT route over NATS
// request-reply, with the same answers as HTTP, the same rate-limit bucket,
// and replies only to an inbox.
#include "tests/integration/status_test_support.hpp"
#include "tests/integration/support/metrics.hpp"
#include "tests/integration/support/poll.hpp"

namespace haven::test::status {
namespace {

// One NATS request; the reply's data, or "<no reply>".
std::string rpc(const std::string& nats_url, const std::string& body, const std::string& token) {
  return rpc_request(nats_url, "haven.rpc.status.update", body, token);
}

std::string update(const std::string& id, const std::string& stage, const std::string& more) {
  return R"({"resource_id":")" + id + R"(","stage":")" + stage + "\"" + more + "}";
}

class StatusRpc : public auth_suite {
 protected:
  std::string rpc(const std::string& body, const std::string& token) {
    return status::rpc(the_stack().nats_url(), body, token);
  }
};

TEST_F(StatusRpc, AnswersLikeThePut) {
  auto u = register_account(port());
  auto id = unique_resource("rpc");
  auto r =
      rpc(update(id, "graph", R"(,"status":"processing","progress":12,"message":"hi")"), u.access);
  EXPECT_EQ(field(r, "/status"), "200") << r;
  EXPECT_EQ(field(r, "/body/resource_id"), id);
  EXPECT_EQ(field(r, "/body/stages/graph/progress"), "12");
  EXPECT_EQ(field(r, "/body/stages/graph/message"), "hi");
  // The same record over HTTP, and the same body.
  auto g = get_status(port(), u.access, id);
  ASSERT_EQ(g.status, 200);
  EXPECT_EQ(field(r, "/body/updated_at"), field(g, "/updated_at"));
  auto again = rpc(update(id, "graph", R"(,"status":"completed")"), u.access);
  auto g2 = get_status(port(), u.access, id);
  EXPECT_EQ(field(again, "/body/overall"), field(g2, "/overall"));
  EXPECT_EQ(again.find(g2.body), again.size() - g2.body.size() - 1) << again << "\n" << g2.body;
}

TEST_F(StatusRpc, ErrorsAnswerWithTheHttpStatusAndBody) {
  auto u = register_account(port());
  auto other = register_account(port());
  auto id = unique_resource("rpc-err");
  auto stage = rpc(update(id, "bogus", R"(,"status":"pending")"), u.access);
  EXPECT_EQ(field(stage, "/status"), "404") << stage;
  EXPECT_EQ(field(stage, "/body/error/code"), "not_found");
  auto rule = rpc(update(id, "graph", R"(,"status":"pending","progress":300)"), u.access);
  EXPECT_EQ(field(rule, "/status"), "422") << rule;
  EXPECT_EQ(field(rule, "/body/error/details/0/field"), "progress");
  auto missing = rpc(update(id, "graph", ""), u.access);
  EXPECT_EQ(field(missing, "/status"), "422") << missing;
  EXPECT_EQ(field(missing, "/body/error/details/0/field"), "status");
  auto no_id = rpc(R"({"stage":"graph","status":"pending"})", u.access);
  EXPECT_EQ(field(no_id, "/status"), "422") << no_id;
  auto none = rpc(update(id, "graph", R"(,"status":"pending")"), "");
  EXPECT_EQ(field(none, "/status"), "401") << none;
  EXPECT_EQ(field(none, "/body/error/code"), "unauthorized");
  auto forged = rpc(update(id, "graph", R"(,"status":"pending")"), u.access + "x");
  EXPECT_EQ(field(forged, "/status"), "401") << forged;
  auto bad_json = rpc("{\"resource_id\": ", u.access);
  EXPECT_EQ(field(bad_json, "/status"), "400") << bad_json;
  // Ownership holds over NATS too.
  ASSERT_EQ(field(rpc(update(id, "graph", R"(,"status":"pending")"), u.access), "/status"), "200");
  auto theirs = rpc(update(id, "graph", R"(,"status":"failed")"), other.access);
  EXPECT_EQ(field(theirs, "/status"), "404") << theirs;
  EXPECT_EQ(field(get_status(port(), u.access, id), "/stages/graph/status"), "pending");
}

TEST_F(StatusRpc, AnswersOnlyOnAnInboxReplySubject) {
  auto u = register_account(port());
  auto id = unique_resource("rpc-inbox");
  raw_nats nats{the_stack().nats_url()};
  natsSubscription* sub = nullptr;
  ASSERT_EQ(natsConnection_SubscribeSync(&sub, nats.get(), "haven.spoof.>"), NATS_OK);
  const std::string body = update(id, "graph", R"(,"status":"pending")");
  for (const char* reply : {"haven.spoof.reply", "haven.spoof._INBOX.x"}) {
    natsMsg* msg = nullptr;
    ASSERT_EQ(natsMsg_Create(&msg, "haven.rpc.status.update", reply, body.data(),
                             static_cast<int>(body.size())),
              NATS_OK);
    natsMsgHeader_Set(msg, "Authorization", ("Bearer " + u.access).c_str());
    ASSERT_EQ(natsConnection_PublishMsg(nats.get(), msg), NATS_OK);
    natsMsg_Destroy(msg);
  }
  ASSERT_EQ(natsConnection_Flush(nats.get()), NATS_OK);
  EXPECT_EQ(field(rpc(body, u.access), "/status"), "200");
  natsMsg* got = nullptr;
  EXPECT_EQ(natsSubscription_NextMsg(&got, sub, 500), NATS_TIMEOUT) << "answered a non-inbox";
  if (got != nullptr)
    natsMsg_Destroy(got);
  natsSubscription_Destroy(sub);
}

// API.md section 9: rpc requests spend the same bucket as HTTP.
class StatusRpcLimited : public StatusRpc {
 protected:
  static void SetUpTestSuite() { start({{"HAVEN_RATE_LIMIT_FREE", "6"}}); }
};

TEST_F(StatusRpcLimited, RpcAndHttpShareTheCallersBucket) {
  auto u = register_account(port());
  auto id = unique_resource("rpc-limit");
  int http_ok = 0, rpc_ok = 0, rpc_limited = 0;
  for (int i = 0; i < 3; ++i)
    http_ok += put_stage(port(), u.access, id, "graph", R"({"status":"pending"})").status == 200;
  for (int i = 0; i < 6; ++i) {
    auto r = field(rpc(update(id, "graph", R"(,"status":"pending")"), u.access), "/status");
    rpc_ok += r == "200";
    rpc_limited += r == "429";
  }
  EXPECT_EQ(http_ok, 3);
  EXPECT_EQ(rpc_ok, 3) << "rpc requests did not spend the HTTP requests' bucket";
  EXPECT_EQ(rpc_limited, 3);
  auto limited = rpc(update(id, "graph", R"(,"status":"pending")"), u.access);
  EXPECT_EQ(field(limited, "/body/error/code"), "rate_limited") << limited;
  EXPECT_EQ(put_stage(port(), u.access, id, "graph", R"({"status":"pending"})").status, 429);
}

} // namespace
} // namespace haven::test::status
