// Event JSON (API.md section 9), subjects and the outbox INSERT.

#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "persistence/outbox/event.hpp"

namespace haven::outbox {
namespace {

event sample() {
  event e;
  e.id = "0b0e8d1c-3c5a-4f7e-9a7b-2f1d5e6c7a8b";
  e.type = "user.registered";
  e.occurred_at = "2024-05-01T12:34:56.789Z";
  e.node = "node-1";
  e.data_json = R"({"user_id":"u1","n":[1,2]})";
  return e;
}

TEST(outbox_event, field_order_without_optional_fields) {
  EXPECT_EQ(encode_event(sample()),
            R"({"id":"0b0e8d1c-3c5a-4f7e-9a7b-2f1d5e6c7a8b","type":"user.registered",)"
            R"("occurred_at":"2024-05-01T12:34:56.789Z","node":"node-1",)"
            R"("data":{"user_id":"u1","n":[1,2]}})");
}

TEST(outbox_event, optional_fields_in_place) {
  auto e = sample();
  e.org_id = "6f1c1a9e-0000-4000-8000-000000000001";
  e.request_id = "req-7";
  EXPECT_EQ(encode_event(e),
            R"({"id":"0b0e8d1c-3c5a-4f7e-9a7b-2f1d5e6c7a8b","type":"user.registered",)"
            R"("occurred_at":"2024-05-01T12:34:56.789Z","node":"node-1",)"
            R"("org_id":"6f1c1a9e-0000-4000-8000-000000000001","request_id":"req-7",)"
            R"("data":{"user_id":"u1","n":[1,2]}})");
  e.org_id.clear();
  EXPECT_EQ(encode_event(e).find("org_id"), std::string::npos);
  EXPECT_NE(encode_event(e).find(R"("node":"node-1","request_id":"req-7","data")"),
            std::string::npos);
}

TEST(outbox_event, strings_are_escaped_and_data_is_raw) {
  auto e = sample();
  e.node = "n\"1\\\n\x01";
  e.request_id = "r\t";
  e.data_json = R"({"s":"already \"escaped\""})";
  auto s = encode_event(e);
  EXPECT_NE(s.find(R"("node":"n\"1\\\n\u0001")"), std::string::npos) << s;
  EXPECT_NE(s.find(R"("request_id":"r\t")"), std::string::npos) << s;
  EXPECT_NE(s.find(R"("data":{"s":"already \"escaped\""}})"), std::string::npos) << s;
  e.data_json.clear();
  EXPECT_NE(encode_event(e).find(R"("data":{}})"), std::string::npos);
}

TEST(outbox_event, subject) {
  EXPECT_EQ(event_subject("haven", "user.registered"), "haven.events.user.registered");
  EXPECT_EQ(event_subject("a.b", "x"), "a.b.events.x");
}

TEST(outbox_event, insert_statement_parameters) {
  auto e = sample();
  auto st = outbox_insert(e, "haven.events.user.registered", "user:u1");
  EXPECT_NE(st.sql.find(
                "INSERT INTO outbox (id, type, subject, aggregate_id, org_id, request_id, event)"),
            std::string::npos);
  EXPECT_NE(st.sql.find("$7"), std::string::npos);
  EXPECT_EQ(st.sql.find('\''), std::string::npos); // nothing inlined
  ASSERT_EQ(st.params.size(), 7u);
  EXPECT_EQ(st.params[0].text, e.id);
  EXPECT_EQ(st.params[1].text, "user.registered");
  EXPECT_EQ(st.params[2].text, "haven.events.user.registered");
  EXPECT_EQ(st.params[3].text, "user:u1");
  EXPECT_TRUE(st.params[4].is_null); // org_id absent
  EXPECT_TRUE(st.params[5].is_null); // request_id absent
  EXPECT_FALSE(st.params[6].is_null);
  EXPECT_EQ(st.params[6].text, encode_event(e));
  e.org_id = "6f1c1a9e-0000-4000-8000-000000000001";
  e.request_id = "req-7";
  st = outbox_insert(e, "s", "a");
  EXPECT_EQ(st.params[4].text, e.org_id);
  EXPECT_FALSE(st.params[4].is_null);
  EXPECT_EQ(st.params[5].text, "req-7");
}

TEST(outbox_event, ids_and_timestamps) {
  const std::regex uuid4{"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"};
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = new_event_id();
    EXPECT_TRUE(std::regex_match(id, uuid4)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
  using namespace std::chrono;
  EXPECT_EQ(format_rfc3339_ms(system_clock::time_point{milliseconds(1714566896789)}),
            "2024-05-01T12:34:56.789Z");
  EXPECT_EQ(format_rfc3339_ms(system_clock::time_point{milliseconds(5)}),
            "1970-01-01T00:00:00.005Z");
  EXPECT_EQ(format_rfc3339_ms(system_clock::time_point{milliseconds(-1)}),
            "1969-12-31T23:59:59.999Z");
  auto e = make_event("crisis.detected", "n1", R"({"x":1})", "", "r1");
  EXPECT_TRUE(std::regex_match(e.id, uuid4));
  EXPECT_TRUE(
      std::regex_match(e.occurred_at, std::regex{R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"}));
  EXPECT_EQ(e.request_id, "r1");
}

} // namespace
} // namespace haven::outbox
