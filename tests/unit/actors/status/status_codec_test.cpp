// Processing status: the PUT body's field rules (one 422 listing every
// field), the JSON of GET, the status.updated event built from its outbox
// entry, and the update script's arguments.
#include <gtest/gtest.h>

#include <simdjson.h>

#include "actors/status/routes/status_routes.hpp"
#include "actors/status/status_events.hpp"
#include "actors/status/status_rules.hpp"
#include "actors/status/status_script.hpp"
#include "messages/errors.hpp"

namespace haven::status {
namespace {

struct read_result {
  status_update u;
  std::vector<std::pair<std::string, std::string>> issues;
};

read_result read(const std::string& body) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  EXPECT_EQ(p.parse(body).get(root), simdjson::SUCCESS) << body;
  http::body_reader b{&root};
  read_result r;
  read_update_body(b, r.u);
  if (!b.ok()) {
    auto err = b.error();
    EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::validation_failed));
    r.issues = decode_field_issues(err.context().get_as<std::string>(1));
  }
  return r;
}

using issues = std::vector<std::pair<std::string, std::string>>;

TEST(StatusBody, AcceptsTheContractsFields) {
  auto r = read(R"({"status":"processing","progress":40,"message":"step 2 of 5"})");
  EXPECT_TRUE(r.issues.empty());
  EXPECT_EQ(r.u.status, "processing");
  EXPECT_EQ(r.u.progress, 40);
  EXPECT_TRUE(r.u.has_message);
  EXPECT_EQ(r.u.message, "step 2 of 5");
  auto bare = read(R"({"status":"completed"})");
  EXPECT_TRUE(bare.issues.empty());
  EXPECT_EQ(bare.u.progress, -1);
  EXPECT_FALSE(bare.u.has_message);
  // null reads as absent; the rpc body's extra fields are ignored.
  auto nulls = read(
      R"({"status":"failed","progress":null,"message":null,"resource_id":"x","stage":"graph"})");
  EXPECT_TRUE(nulls.issues.empty());
  EXPECT_EQ(nulls.u.progress, -1);
  EXPECT_FALSE(nulls.u.has_message);
  for (int p : {0, 100})
    EXPECT_TRUE(
        read(R"({"status":"pending","progress":)" + std::to_string(p) + "}").issues.empty());
  EXPECT_TRUE(
      read(R"({"status":"pending","message":")" + std::string(1024, 'x') + "\"}").issues.empty());
  // 1024 characters, not bytes: 1024 two-byte letters pass.
  std::string umlauts;
  for (int i = 0; i < 1024; ++i)
    umlauts += "\xc3\xbc";
  EXPECT_TRUE(read(R"({"status":"pending","message":")" + umlauts + "\"}").issues.empty());
}

TEST(StatusBody, EveryBrokenRuleIsListed) {
  EXPECT_EQ(read("{}").issues, (issues{{"status", "required"}}));
  EXPECT_EQ(read(R"({"status":"done"})").issues, (issues{{"status", "invalid"}}));
  EXPECT_EQ(read(R"({"status":"PENDING"})").issues, (issues{{"status", "invalid"}}));
  EXPECT_EQ(read(R"({"status":3})").issues, (issues{{"status", "invalid_type"}}));
  EXPECT_EQ(read(R"({"status":"pending","progress":101})").issues,
            (issues{{"progress", "out_of_range"}}));
  EXPECT_EQ(read(R"({"status":"pending","progress":-1})").issues,
            (issues{{"progress", "out_of_range"}}));
  EXPECT_EQ(read(R"({"status":"pending","progress":50.5})").issues,
            (issues{{"progress", "invalid_type"}}));
  EXPECT_EQ(read(R"({"status":"pending","progress":"50"})").issues,
            (issues{{"progress", "invalid_type"}}));
  EXPECT_EQ(read(R"({"status":"pending","progress":true})").issues,
            (issues{{"progress", "invalid_type"}}));
  EXPECT_EQ(read(R"({"status":"pending","message":5})").issues,
            (issues{{"message", "invalid_type"}}));
  EXPECT_EQ(read(R"({"status":"pending","message":")" + std::string(1025, 'x') + "\"}").issues,
            (issues{{"message", "too_long"}}));
  EXPECT_EQ(
      read(R"({"status":"x","progress":200,"message":[]})").issues,
      (issues{{"status", "invalid"}, {"progress", "out_of_range"}, {"message", "invalid_type"}}));
  EXPECT_EQ(read("[]").issues, (issues{{"body", "invalid_type"}, {"status", "required"}}));
}

TEST(StatusJson, ShowsAllFiveStagesWithNullsForTheUnwritten) {
  status_view v;
  v.resource_id = "doc-\"1";
  v.overall = "processing";
  v.updated_at = "2026-01-01T00:00:01.000Z";
  v.stages.resize(5);
  v.stages[2] = stage_view{"processing", 40, "line1\nline2", true, "2026-01-01T00:00:01.000Z"};
  auto body = status_body(v);
  simdjson::dom::parser p;
  simdjson::dom::element root;
  ASSERT_EQ(p.parse(body).get(root), simdjson::SUCCESS) << body;
  EXPECT_EQ(std::string_view(root["resource_id"]), "doc-\"1");
  EXPECT_EQ(std::string_view(root["overall"]), "processing");
  EXPECT_EQ(std::string_view(root["updated_at"]), "2026-01-01T00:00:01.000Z");
  simdjson::dom::object stages = root["stages"];
  EXPECT_EQ(stages.size(), 5u);
  size_t i = 0;
  for (auto [key, value] : stages) {
    EXPECT_EQ(key, stage_names[i]) << "stages in API order";
    simdjson::dom::object s = value;
    EXPECT_EQ(s.size(), 4u);
    if (i == 2) {
      EXPECT_EQ(std::string_view(s["status"]), "processing");
      EXPECT_EQ(int64_t(s["progress"]), 40);
      EXPECT_EQ(std::string_view(s["message"]), "line1\nline2");
      EXPECT_EQ(std::string_view(s["updated_at"]), "2026-01-01T00:00:01.000Z");
    } else {
      EXPECT_EQ(std::string_view(s["status"]), "pending");
      EXPECT_EQ(int64_t(s["progress"]), 0);
      EXPECT_TRUE(s["message"].is_null());
      EXPECT_TRUE(s["updated_at"].is_null());
    }
    ++i;
  }
}

std::vector<std::string> entry_fields() {
  return {"id",       "0b9a3c1e-0000-4000-8000-000000000001",
          "at",       "2026-01-01T00:00:01.000Z",
          "node",     "node-a",
          "org",      "org-1",
          "rid",      "req-1",
          "res",      "doc-1",
          "stage",    "quality",
          "status",   "processing",
          "progress", "40",
          "stages",   "completed,processing,pending,pending,pending"};
}

TEST(StatusEvent, EnvelopeHeadersAndNoMessage) {
  auto m = event_from_entry("haven", entry_fields());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->subject, "haven.events.status.updated");
  ASSERT_EQ(m->headers.size(), 2u);
  EXPECT_EQ(m->headers[0].name, "Haven-Event-Id");
  EXPECT_EQ(m->headers[0].value, "0b9a3c1e-0000-4000-8000-000000000001");
  EXPECT_EQ(m->headers[1].name, "Haven-Request-Id");
  EXPECT_EQ(m->headers[1].value, "req-1");
  simdjson::dom::parser p;
  simdjson::dom::element root;
  ASSERT_EQ(p.parse(m->data).get(root), simdjson::SUCCESS) << m->data;
  EXPECT_EQ(std::string_view(root["id"]), "0b9a3c1e-0000-4000-8000-000000000001");
  EXPECT_EQ(std::string_view(root["type"]), "status.updated");
  EXPECT_EQ(std::string_view(root["occurred_at"]), "2026-01-01T00:00:01.000Z");
  EXPECT_EQ(std::string_view(root["node"]), "node-a");
  EXPECT_EQ(std::string_view(root["org_id"]), "org-1");
  EXPECT_EQ(std::string_view(root["request_id"]), "req-1");
  simdjson::dom::object data = root["data"];
  EXPECT_EQ(data.size(), 5u);
  EXPECT_EQ(std::string_view(data["resource_id"]), "doc-1");
  EXPECT_EQ(std::string_view(data["stage"]), "quality");
  EXPECT_EQ(std::string_view(data["status"]), "processing");
  EXPECT_EQ(int64_t(data["progress"]), 40);
  EXPECT_EQ(std::string_view(data["overall"]), "processing");
  EXPECT_EQ(m->data.find("message"), std::string::npos);
}

TEST(StatusEvent, NoOrgNoRequestIdAreLeftOut) {
  auto f = entry_fields();
  f[7] = "";
  f[9] = "";
  f[19] = "completed,completed,completed,completed,completed";
  auto m = event_from_entry("p", f);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->subject, "p.events.status.updated");
  EXPECT_EQ(m->headers.size(), 1u);
  EXPECT_EQ(m->data.find("org_id"), std::string::npos);
  EXPECT_EQ(m->data.find("request_id"), std::string::npos);
  EXPECT_NE(m->data.find("\"overall\":\"completed\""), std::string::npos);
}

TEST(StatusEvent, MalformedEntriesAreRefused) {
  EXPECT_FALSE(event_from_entry("haven", {}));
  for (size_t field = 0; field < 20; field += 2) {
    if (field == 6 || field == 8)
      continue; // org and rid are optional
    auto f = entry_fields();
    f[field] = "other";
    EXPECT_FALSE(event_from_entry("haven", f)) << f[field + 1];
  }
  for (auto bad : {"completed,processing", "completed,processing,pending,pending,pending,pending",
                   "completed,processing,pending,pending,done", "", "x4"}) {
    auto f = entry_fields();
    f[19] = bad;
    EXPECT_FALSE(event_from_entry("haven", f)) << bad;
  }
  auto f = entry_fields();
  f[17] = "4O";
  EXPECT_FALSE(event_from_entry("haven", f));
}

TEST(StatusScript, ArgumentsCarryTheCallerAndTheTtl) {
  status_update u;
  u.caller.user_id = "u1";
  u.caller.org_id = "o1";
  u.caller.role = "admin";
  u.resource_id = "doc-1";
  u.stage = "graph";
  u.status = "completed";
  auto c = update_call(u, event_meta{"e1", "2026-01-01T00:00:01.000Z", "n1", "r1"});
  EXPECT_EQ(c.script_name, update_script_name);
  EXPECT_EQ(c.keys, (std::vector<std::string>{"haven:status:doc-1", "haven:status-outbox:events"}));
  ASSERT_EQ(c.args.size(), 14u);
  EXPECT_EQ(c.args[5], "");         // progress absent
  EXPECT_EQ(c.args[6], "0");        // no message
  EXPECT_EQ(c.args[9], "86400000"); // 24 h
  u.progress = 0;
  u.has_message = true;
  c = update_call(u, event_meta{"e1", "t", "n1", "r1"});
  EXPECT_EQ(c.args[5], "0");
  EXPECT_EQ(c.args[6], "1");
  EXPECT_NE(update_script_source().find("local STAGES = {'ingestion', 'quality', 'taxonomy', "
                                        "'graph', 'embedding'}"),
            std::string::npos);
}

} // namespace
} // namespace haven::status
