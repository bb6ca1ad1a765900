// JetStream JSON: the stream we create and the replies we read.

#include <gtest/gtest.h>

#include "io/nats/jetstream.hpp"

namespace haven::nats {
namespace {

TEST(nats_jetstream, event_subjects) {
  EXPECT_TRUE(is_event_subject("haven", "haven.events.user.registered"));
  EXPECT_TRUE(is_event_subject("a.b", "a.b.events.x"));
  EXPECT_FALSE(is_event_subject("haven", "haven.events."));
  EXPECT_FALSE(is_event_subject("haven", "haven.cluster.heartbeat"));
  EXPECT_FALSE(is_event_subject("haven", "havenx.events.a"));
  EXPECT_FALSE(is_event_subject("haven", "other.events.a"));
  EXPECT_FALSE(is_event_subject("haven", "_INBOX.abc.1.2"));
  EXPECT_EQ(events_filter("haven"), "haven.events.>");
}

TEST(nats_jetstream, stream_create_request) {
  EXPECT_EQ(stream_create_subject(), "$JS.API.STREAM.CREATE.HAVEN_EVENTS");
  EXPECT_EQ(stream_create_body("hv"),
            R"({"name":"HAVEN_EVENTS","subjects":["hv.events.>"],"retention":"limits",)"
            R"("storage":"file","discard":"old","num_replicas":1,)"
            R"("duplicate_window":120000000000,"max_age":604800000000000})");
}

TEST(nats_jetstream, publish_acks) {
  auto ok = parse_js_reply(R"({"stream":"HAVEN_EVENTS","seq":42})");
  EXPECT_TRUE(ok.ok);
  EXPECT_FALSE(ok.duplicate);
  auto dup = parse_js_reply(R"({"stream":"HAVEN_EVENTS","seq":42,"duplicate":true})");
  EXPECT_TRUE(dup.ok);
  EXPECT_TRUE(dup.duplicate);
}

TEST(nats_jetstream, errors) {
  auto e = parse_js_reply(
      R"({"type":"io.nats.jetstream.api.v1.stream_create_response","error":{"code":400,"err_code":10058,"description":"stream name already in use"}})");
  EXPECT_FALSE(e.ok);
  EXPECT_EQ(e.code, 400);
  EXPECT_EQ(e.err_code, js_err_stream_name_in_use);
  EXPECT_EQ(e.description, "stream name already in use");
  EXPECT_FALSE(parse_js_reply("").ok);
  EXPECT_FALSE(parse_js_reply("[1]").ok);
  EXPECT_FALSE(parse_js_reply("{\"stream\":").ok);
  EXPECT_FALSE(parse_js_reply(R"({"error":{}})").ok);
}

} // namespace
} // namespace haven::nats
