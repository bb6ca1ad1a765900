// The pure part of the NATS rpc ingress (API.md section 9).
#include <gtest/gtest.h>

#include "io/http/rpc_bridge.hpp"

namespace haven::http {
namespace {

bus_message rpc_message(std::string subject, std::string data,
                        std::vector<bus_header> headers = {}) {
  return bus_message{std::move(subject), "_INBOX.abc.1", std::move(headers), std::move(data)};
}

TEST(RpcBridge, OnlyInboxesReceiveAnswers) {
  EXPECT_TRUE(is_inbox_subject("_INBOX.abc.1"));
  EXPECT_TRUE(is_inbox_subject("_INBOX.rpc.xyz"));
  for (auto bad : {"", "_INBOX.", "_INBOX", "haven.events.x", "haven._INBOX.x", "_inbox.abc",
                   "_INBOX.a b", "_INBOX.>", "_INBOX.*.x", "x._INBOX.y"})
    EXPECT_FALSE(is_inbox_subject(bad)) << bad;
}

TEST(RpcBridge, ClientKeyIsTheInboxPrefix) {
  EXPECT_EQ(rpc_client_key("_INBOX.abc.1"), "_INBOX.abc");
  EXPECT_EQ(rpc_client_key("_INBOX.abc"), "_INBOX.abc");
}

TEST(RpcBridge, SubjectsMapToTheirHttpRoutes) {
  request r;
  auto m = rpc_message("crisis.detect", "{\"text\":\"hi\"}",
                       {{"authorization", "Bearer t"}, {"Haven-Request-Id", "rid-1"}});
  ASSERT_EQ(to_http_request("crisis.detect", m, r), rpc_mapping::ok);
  EXPECT_EQ(r.verb, method::post);
  EXPECT_EQ(r.path, "/v1/crisis/detect");
  EXPECT_EQ(r.body, "{\"text\":\"hi\"}");
  ASSERT_NE(r.header("authorization"), nullptr);
  EXPECT_EQ(*r.header("authorization"), "Bearer t");
  EXPECT_EQ(*r.header("x-request-id"), "rid-1");
  EXPECT_EQ(*r.header("content-type"), "application/json");

  ASSERT_EQ(to_http_request("safety.validate", rpc_message("safety.validate", "{}"), r),
            rpc_mapping::ok);
  EXPECT_EQ(r.path, "/v1/safety/validate");
  EXPECT_EQ(r.header("x-request-id"), nullptr) << "headers of the previous request remain";
  EXPECT_EQ(r.header("authorization"), nullptr);
  ASSERT_EQ(to_http_request("conversation.chat", m, r), rpc_mapping::ok);
  EXPECT_EQ(r.path, "/v1/conversation/chat");
  EXPECT_EQ(to_http_request("auth.login", m, r), rpc_mapping::unknown_subject);
}

TEST(RpcBridge, StatusUpdateTakesItsPathFromTheBody) {
  request r;
  auto ok = rpc_message("status.update",
                        R"({"resource_id":"doc-42","stage":"quality","status":"processing"})");
  ASSERT_EQ(to_http_request("status.update", ok, r), rpc_mapping::ok);
  EXPECT_EQ(r.verb, method::put);
  EXPECT_EQ(r.path, "/v1/status/doc-42/stages/quality");
  for (auto body : {R"({"stage":"quality"})", R"({"resource_id":"a/../b","stage":"quality"})",
                    R"({"resource_id":"a","stage":"x?y"})", R"({"resource_id":1,"stage":"q"})",
                    R"({"resource_id":"","stage":"q"})"})
    EXPECT_EQ(to_http_request("status.update", rpc_message("status.update", body), r),
              rpc_mapping::bad_fields)
        << body;
  // Not JSON: the route answers invalid_json like HTTP does.
  request fresh;
  EXPECT_EQ(to_http_request("status.update", rpc_message("status.update", "{oops"), fresh),
            rpc_mapping::ok);
  EXPECT_EQ(fresh.path, "/v1/status/-/stages/ingestion") << "a path the PUT route matches";
}

TEST(RpcBridge, ReplyPayload) {
  EXPECT_EQ(rpc_reply(200, "{\"a\":1}"), "{\"status\":200,\"body\":{\"a\":1}}");
  EXPECT_EQ(rpc_reply(204, ""), "{\"status\":204,\"body\":null}");
}

} // namespace
} // namespace haven::http
