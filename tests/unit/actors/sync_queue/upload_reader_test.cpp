// Reading an upload (routes/upload_reader.hpp) and the entity kinds'
// field rules (entity_schema.hpp) against the shipped data files.
#include <gtest/gtest.h>

#include "actors/sync_queue/entity_schema.hpp"
#include "actors/sync_queue/routes/upload_reader.hpp"
#include "messages/errors.hpp"

namespace haven::sync {
namespace {

const schema_set& shipped() {
  static auto loaded = load_schemas(find_data_dir());
  EXPECT_TRUE(loaded.schemas) << loaded.error;
  return *loaded.schemas;
}

struct parsed {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  explicit parsed(const std::string& text) {
    EXPECT_EQ(parser.parse(text).get(root), simdjson::SUCCESS) << text;
  }
};

caf::expected<sync_upload> read(const std::string& text) {
  parsed p{text};
  return read_upload(&p.root, shipped());
}

std::string op(const std::string& fields) {
  return R"({"op_id":"10000000-0000-4000-8000-000000000001","entity":"journal_entry",)"
         R"("entity_id":"00000000-0000-4000-8000-000000000001","kind":"upsert",)"
         R"("base_version":0,"client_ts":"2026-05-01T10:00:00Z",)" +
         fields + "}";
}

std::string body(const std::vector<std::string>& ops) {
  std::string s = R"({"device_id":"phone-1","ops":[)";
  for (size_t i = 0; i < ops.size(); ++i)
    s += (i ? "," : "") + ops[i];
  return s + "]}";
}

std::string issues_of(const caf::error& err) {
  auto& ctx = err.context();
  std::string all;
  for (size_t i = 0; i < ctx.size(); ++i)
    if (ctx.match_element<std::string>(i))
      all += ctx.get_as<std::string>(i) + "|";
  return all;
}

TEST(SyncSchemas, ShippedKindsLoad) {
  EXPECT_NE(shipped().find("journal_entry"), nullptr);
  EXPECT_NE(shipped().find("mood_log"), nullptr);
  EXPECT_NE(shipped().find("safety_plan"), nullptr);
  EXPECT_EQ(shipped().find("password"), nullptr);
}

TEST(SyncSchemas, MalformedFilesFailWithTheirName) {
  schema_set s;
  EXPECT_NE(parse_schema("{", "a.json", s).error.find("a.json"), std::string::npos);
  EXPECT_FALSE(
      parse_schema(R"({"entity":"x","fields":{"f":{"type":"blob"}}})", "x.json", s).error.empty());
  EXPECT_FALSE(
      parse_schema(R"({"entity":"x","fields":{"f":{"type":"string"}}})", "x.json", s).error.empty())
      << "a string without max_length";
  EXPECT_FALSE(
      parse_schema(R"({"entity":"x","fields":{"f":{"type":"integer","minimum":1}}})", "x.json", s)
          .error.empty());
  EXPECT_TRUE(parse_schema(R"({"entity":"x","fields":{"f":{"type":"integer","min":1,"max":2}}})",
                           "x.json", s)
                  .error.empty());
  EXPECT_FALSE(load_schemas("/nonexistent/sync").schemas);
}

TEST(SyncSchemas, FieldRules) {
  const auto& mood = *shipped().find("mood_log");
  auto check = [&](const std::string& payload) {
    parsed p{payload};
    auto r = check_payload(mood, p.root);
    return r.field + ":" + r.issue;
  };
  EXPECT_EQ(check(R"({"score":5,"emotions":["calm"],"sleep_hours":7.5})"), ":");
  EXPECT_EQ(check(R"({})"), "payload.score:required");
  EXPECT_EQ(check(R"({"score":11})"), "payload.score:out_of_range");
  EXPECT_EQ(check(R"({"score":"5"})"), "payload.score:wrong_type");
  EXPECT_EQ(check(R"({"score":5.5})"), "payload.score:wrong_type");
  EXPECT_EQ(check(R"({"score":5,"note":")" + std::string(1001, 'x') + R"("})"),
            "payload.note:too_long");
  EXPECT_EQ(check(R"({"score":5,"mystery":1})"), "payload.mystery:unknown_field");
  EXPECT_EQ(check(R"({"score":5,"logged_at":"yesterday"})"), "payload.logged_at:invalid_format");
  EXPECT_EQ(check(R"({"score":5,"emotions":[1]})"), "payload.emotions:wrong_type");
  const auto& plan = *shipped().find("safety_plan");
  parsed bad_enum{R"({"warning_signs":["a"],"status":"deleted"})"};
  EXPECT_EQ(check_payload(plan, bad_enum.root).issue, "not_allowed");
  // journal_entry keeps a client's own fields, but not nested without end.
  const auto& journal = *shipped().find("journal_entry");
  parsed extra{R"({"text":"hi","meta":{"a":[1,2]}})"};
  EXPECT_EQ(check_payload(journal, extra.root).issue, "");
  parsed deep{R"({"meta":[[[[[[1]]]]]]})"};
  EXPECT_EQ(check_payload(journal, deep.root).issue, "too_deep");
}

TEST(SyncSchemas, Rfc3339) {
  for (auto good :
       {"2026-05-01T10:00:00Z", "2026-05-01T10:00:00.123Z", "2026-05-01T10:00:00+03:00"})
    EXPECT_TRUE(is_rfc3339(good)) << good;
  for (auto bad : {"", "2026-05-01", "2026-13-01T10:00:00Z", "2026-05-01T10:00:00",
                   "2026-05-01T10:00:00.Z", "2026-05-01 10:00:00Z", "2026-05-01T10:00:00+3:00"})
    EXPECT_FALSE(is_rfc3339(bad)) << bad;
}

TEST(SyncUploadReader, ClientTimes) {
  for (auto good : {"2026-05-01T10:00:00Z", "2026-05-01T10:00:00.123456", "2026-05-01",
                    "2026-05-01 10:00:00", "2026-05-01T10:00:00+03:00"})
    EXPECT_TRUE(is_client_time(good)) << good;
  for (auto bad :
       {"now", "", "2026-13-01T10:00:00Z", "01/05/2026", "2026-05-01X10", "2026-05-01T10:00:00\n"})
    EXPECT_FALSE(is_client_time(bad)) << bad;
  EXPECT_FALSE(is_client_time("2026-05-01T" + std::string(60, '0')));
}

TEST(SyncUploadReader, ReadsValidOps) {
  auto up = read(body({op(R"("payload":{"title":"t","body":"b"})")}));
  ASSERT_TRUE(up) << to_string(up.error());
  EXPECT_EQ(up->device_id, "phone-1");
  ASSERT_EQ(up->ops.size(), 1u);
  EXPECT_EQ(up->ops[0].reject, "");
  EXPECT_EQ(up->ops[0].payload, R"({"title":"t","body":"b"})");
}

TEST(SyncUploadReader, WholeRequestProblemsAre422) {
  EXPECT_FALSE(read("[]"));
  EXPECT_FALSE(read(R"({"ops":[]})"));                              // device_id missing
  EXPECT_FALSE(read(R"({"device_id":7,"ops":[]})"));                // wrong type
  EXPECT_FALSE(read(R"({"device_id":"","ops":[]})"));               // empty
  EXPECT_FALSE(read(R"({"device_id":"d","ops":{}})"));              // not an array
  EXPECT_FALSE(read(R"({"device_id":"d","ops":[1]})"));             // op not an object
  EXPECT_FALSE(read(R"({"device_id":"d","ops":[{"op_id":"x"}]})")); // op_id not a UUID
  EXPECT_FALSE(read(R"({"device_id":"d","ops":[{"entity":"journal_entry"}]})"));
  auto empty = read(R"({"device_id":"d","ops":[]})");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->ops.empty());
  auto err = read(R"({"device_id":"d","ops":[{"op_id":"x"},{}]})").error();
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::validation_failed));
  EXPECT_NE(issues_of(err).find("ops[0].op_id"), std::string::npos) << issues_of(err);
  EXPECT_NE(issues_of(err).find("ops[1].op_id"), std::string::npos) << issues_of(err);
}

TEST(SyncUploadReader, AtMost500Ops) {
  auto many = [](size_t n) {
    std::vector<std::string> ops;
    for (size_t i = 0; i < n; ++i) {
      auto s = std::to_string(i);
      ops.push_back(
          R"({"op_id":"10000000-0000-4000-8000-)" + std::string(12 - s.size(), '0') + s +
          R"(","entity":"journal_entry","entity_id":"00000000-0000-4000-8000-000000000001",)"
          R"("kind":"delete","base_version":0})");
    }
    return body(ops);
  };
  EXPECT_TRUE(read(many(500)));
  EXPECT_FALSE(read(many(501)));
}

TEST(SyncUploadReader, PerOpProblemsRejectOnlyThatOp) {
  struct tcase {
    std::string op, error, field;
  };
  auto big = std::string(16384 - std::string{R"({"body":""})"}.size(), 'x');
  std::vector<tcase> cases = {
      {op(R"("payload":{"body":")" + big + R"("})"), "", ""},
      {op(R"("payload":{"body":")" + big + R"(x"})"), "payload_too_large", "payload"},
      {op(R"("payload":[])"), "invalid_payload", "payload"},
      {op(R"("payload":{"mood":99})"), "invalid_payload", "payload.mood"},
      {R"({"op_id":"10000000-0000-4000-8000-000000000001","entity":"diary","entity_id":"00000000-0000-4000-8000-000000000001","kind":"upsert","base_version":0,"payload":{}})",
       "unknown_entity", "entity"},
      {R"({"op_id":"10000000-0000-4000-8000-000000000001","entity":"journal_entry","entity_id":"e-1","kind":"upsert","base_version":0,"payload":{}})",
       "invalid_entity_id", "entity_id"},
      {R"({"op_id":"10000000-0000-4000-8000-000000000001","entity":"journal_entry","entity_id":"00000000-0000-4000-8000-000000000001","kind":"merge","base_version":0,"payload":{}})",
       "invalid_kind", "kind"},
      {R"({"op_id":"10000000-0000-4000-8000-000000000001","entity":"journal_entry","entity_id":"00000000-0000-4000-8000-000000000001","kind":"upsert","base_version":-1,"payload":{}})",
       "invalid_base_version", "base_version"},
      {R"({"op_id":"10000000-0000-4000-8000-000000000001","entity":"journal_entry","entity_id":"00000000-0000-4000-8000-000000000001","kind":"upsert","base_version":"0","payload":{}})",
       "invalid_base_version", "base_version"},
      {R"({"op_id":"10000000-0000-4000-8000-000000000001","entity":"journal_entry","entity_id":"00000000-0000-4000-8000-000000000001","kind":"upsert","base_version":0,"client_ts":"now","payload":{}})",
       "invalid_client_ts", "client_ts"},
  };
  for (const auto& c : cases) {
    auto up = read(body({c.op}));
    ASSERT_TRUE(up) << c.op.substr(0, 200);
    ASSERT_EQ(up->ops.size(), 1u);
    EXPECT_EQ(up->ops[0].reject, c.error) << c.op.substr(0, 200);
    EXPECT_EQ(up->ops[0].field, c.field) << c.op.substr(0, 200);
  }
}

TEST(SyncUploadReader, UuidsAreCanonicalLowerCase) {
  auto up = read(R"({"device_id":"d","ops":[{"op_id":"10000000-0000-4000-8000-00000000000A",)"
                 R"("entity":"journal_entry","entity_id":"00000000-0000-4000-8000-00000000000B",)"
                 R"("kind":"delete","base_version":1}]})");
  ASSERT_TRUE(up);
  EXPECT_EQ(up->ops[0].op_id, "10000000-0000-4000-8000-00000000000a");
  EXPECT_EQ(up->ops[0].entity_id, "00000000-0000-4000-8000-00000000000b");
  EXPECT_TRUE(up->ops[0].is_delete);
  EXPECT_EQ(up->ops[0].reject, "");
}

} // namespace
} // namespace haven::sync
