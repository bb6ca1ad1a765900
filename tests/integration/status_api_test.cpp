// API.md section 7 against a real node, Redis and NATS: PUT/GET, every field
// rule, ownership (first writer, parallel first writes, admins of the owner's
// organization), the 24 h TTL, Redis down and back.
#include <set>
#include <thread>

#include "tests/integration/status_test_support.hpp"
#include "tests/integration/support/poll.hpp"

namespace haven::test::status {
namespace {

class StatusApi : public auth_suite {};

const char* stages[] = {"ingestion", "quality", "taxonomy", "graph", "embedding"};

TEST_F(StatusApi, PutAnswersWhatGetShows) {
  auto u = register_account(port());
  auto id = unique_resource("doc");
  auto r = put_stage(port(), u.access, id, "quality",
                     R"({"status":"processing","progress":40,"message":"checking \"tables\""})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header_or_empty("Content-Type").rfind("application/json", 0), 0u);
  EXPECT_EQ(field(r, "/resource_id"), id);
  EXPECT_EQ(field(r, "/overall"), "processing");
  EXPECT_EQ(field(r, "/stages/quality/status"), "processing");
  EXPECT_EQ(field(r, "/stages/quality/progress"), "40");
  EXPECT_EQ(field(r, "/stages/quality/message"), "checking \"tables\"");
  EXPECT_EQ(field(r, "/stages/quality/updated_at"), field(r, "/updated_at"));
  EXPECT_EQ(field(r, "/updated_at").size(), 24u) << "RFC 3339 with milliseconds";
  for (auto s : {"ingestion", "taxonomy", "graph", "embedding"}) {
    auto p = std::string{"/stages/"} + s;
    EXPECT_EQ(field(r, (p + "/status").c_str()), "pending");
    EXPECT_EQ(field(r, (p + "/progress").c_str()), "0");
    EXPECT_EQ(field(r, (p + "/message").c_str()), "<null>");
    EXPECT_EQ(field(r, (p + "/updated_at").c_str()), "<null>");
  }
  auto g = get_status(port(), u.access, id);
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(g.body, r.body) << "PUT answers the same body as GET";
}

TEST_F(StatusApi, OverallFollowsTheStagesAndProgressDefaults) {
  auto u = register_account(port());
  auto id = unique_resource("flow");
  for (auto s : stages) {
    auto r = put_stage(port(), u.access, id, s, R"({"status":"completed"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, (std::string{"/stages/"} + s + "/progress").c_str()), "100");
  }
  EXPECT_EQ(field(get_status(port(), u.access, id), "/overall"), "completed");
  // processing without progress keeps the stage's last one; failed wins.
  ASSERT_EQ(
      put_stage(port(), u.access, id, "graph", R"({"status":"processing","progress":70})").status,
      200);
  auto f = put_stage(port(), u.access, id, "graph", R"({"status":"failed","message":"x"})");
  EXPECT_EQ(field(f, "/stages/graph/progress"), "70");
  EXPECT_EQ(field(f, "/overall"), "failed");
  auto p = put_stage(port(), u.access, id, "graph", R"({"status":"pending"})");
  EXPECT_EQ(field(p, "/stages/graph/progress"), "0");
  EXPECT_EQ(field(p, "/stages/graph/message"), "<null>") << "a PUT replaces the stage";
  EXPECT_EQ(field(p, "/overall"), "pending");
}

TEST_F(StatusApi, EveryFieldRuleIs422WithDetails) {
  auto u = register_account(port());
  auto id = unique_resource("rules");
  struct bad_case {
    std::string body, field, issue;
  };
  const std::vector<bad_case> cases{
      {"{}", "status", "required"},
      {R"({"status":"done"})", "status", "invalid"},
      {R"({"status":null})", "status", "required"},
      {R"({"status":1})", "status", "invalid_type"},
      {R"({"status":"pending","progress":101})", "progress", "out_of_range"},
      {R"({"status":"pending","progress":-1})", "progress", "out_of_range"},
      {R"({"status":"pending","progress":5.5})", "progress", "invalid_type"},
      {R"({"status":"pending","progress":"5"})", "progress", "invalid_type"},
      {R"({"status":"pending","message":{}})", "message", "invalid_type"},
      {R"({"status":"pending","message":")" + std::string(1025, 'm') + "\"}", "message",
       "too_long"},
      {"[1]", "body", "invalid_type"},
  };
  for (const auto& c : cases) {
    auto r = put_stage(port(), u.access, id, "ingestion", c.body);
    EXPECT_EQ(r.status, 422) << c.body << " -> " << r.body;
    EXPECT_EQ(field(r, "/error/code"), "validation_failed");
    EXPECT_EQ(field(r, "/error/details/0/field"), c.field) << r.body;
    EXPECT_EQ(field(r, "/error/details/0/issue"), c.issue) << r.body;
  }
  auto all =
      put_stage(port(), u.access, id, "ingestion", R"({"status":"x","progress":1000,"message":7})");
  EXPECT_EQ(field(all, "/error/details/0/field"), "status");
  EXPECT_EQ(field(all, "/error/details/1/field"), "progress");
  EXPECT_EQ(field(all, "/error/details/2/field"), "message");
  // Nothing was stored by any of them.
  EXPECT_EQ(get_status(port(), u.access, id).status, 404);
  // Not JSON at all is 400, another content type 415 (API.md section 1).
  EXPECT_EQ(put_stage(port(), u.access, id, "ingestion", "{\"status\":").status, 400);
  EXPECT_EQ(call(port(), "PUT", "/v1/status/" + id + "/stages/ingestion", R"({"status":"pending"})",
                 u.access, {}, "text/plain")
                .status,
            415);
}

TEST_F(StatusApi, BadResourceIdsAre422OnBothRoutes) {
  auto u = register_account(port());
  for (std::string bad :
       {std::string(129, 'a'), std::string{"a%20b"}, std::string{"a:b"}, std::string{"%C3%BC"}}) {
    auto p = put_stage(port(), u.access, bad, "graph", R"({"status":"pending"})");
    EXPECT_EQ(p.status, 422) << bad << " " << p.body;
    EXPECT_EQ(field(p, "/error/details/0/field"), "resource_id");
    auto g = get_status(port(), u.access, bad);
    EXPECT_EQ(g.status, 422) << bad << " " << g.body;
  }
  EXPECT_EQ(
      put_stage(port(), u.access, std::string(128, 'a'), "graph", R"({"status":"pending"})").status,
      200);
}

TEST_F(StatusApi, UnknownStageUnknownResourceNoTokenWrongMethod) {
  auto u = register_account(port());
  auto id = unique_resource("misc");
  for (auto s : {"ingest", "Graph", "stages", "embedding2", "%67raph"}) {
    auto r = put_stage(port(), u.access, id, s, R"({"status":"pending"})");
    EXPECT_EQ(r.status, 404) << s << " " << r.body;
    EXPECT_EQ(field(r, "/error/code"), "not_found");
  }
  EXPECT_EQ(get_status(port(), u.access, id).status, 404) << "a 404 PUT created nothing";
  auto none = put_stage(port(), "", id, "graph", R"({"status":"pending"})");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header_or_empty("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(get_status(port(), "", id).status, 401);
  EXPECT_EQ(get_status(port(), u.access + "x", id).status, 401);
  EXPECT_EQ(call(port(), "POST", "/v1/status/" + id + "/stages/graph", R"({"status":"pending"})",
                 u.access)
                .status,
            405);
  auto rl = get_status(port(), u.access, id);
  EXPECT_FALSE(rl.header_or_empty("X-RateLimit-Limit").empty()) << "a /v1 route is rate limited";
}

TEST_F(StatusApi, OtherUsersGet404AndChangeNothing) {
  auto owner = register_account(port());
  auto other = register_account(port());
  auto id = unique_resource("mine");
  ASSERT_EQ(put_stage(port(), owner.access, id, "taxonomy", R"({"status":"processing"})").status,
            200);
  auto before = get_status(port(), owner.access, id).body;
  auto g = get_status(port(), other.access, id);
  EXPECT_EQ(g.status, 404);
  EXPECT_EQ(field(g, "/error/code"), "not_found");
  EXPECT_EQ(put_stage(port(), other.access, id, "taxonomy", R"({"status":"failed"})").status, 404);
  EXPECT_EQ(put_stage(port(), other.access, id, "graph", R"({"status":"failed"})").status, 404);
  EXPECT_EQ(get_status(port(), owner.access, id).body, before);
}

TEST_F(StatusApi, ParallelFirstWritesHaveExactlyOneOwner) {
  auto a = register_account(port());
  auto b = register_account(port());
  constexpr int resources = 24;
  std::vector<std::string> ids;
  for (int i = 0; i < resources; ++i)
    ids.push_back(unique_resource("race"));
  std::vector<int> status_a(resources), status_b(resources);
  std::atomic<int> ready{0};
  auto writer = [&](const account& who, std::vector<int>& out) {
    ready.fetch_add(1);
    while (ready.load() < 2) {
    }
    for (int i = 0; i < resources; ++i)
      out[i] = put_stage(port(), who.access, ids[i], stages[i % 5],
                         R"({"status":"processing","progress":1})")
                   .status;
  };
  std::thread ta{writer, std::cref(a), std::ref(status_a)};
  std::thread tb{writer, std::cref(b), std::ref(status_b)};
  ta.join();
  tb.join();
  int a_owns = 0;
  for (int i = 0; i < resources; ++i) {
    // Exactly one of the two writes won; the other is someone else's record.
    EXPECT_TRUE((status_a[i] == 200) != (status_b[i] == 200))
        << ids[i] << ": " << status_a[i] << " / " << status_b[i];
    EXPECT_TRUE(status_a[i] == 404 || status_b[i] == 404);
    const auto& owner = status_a[i] == 200 ? a : b;
    const auto& loser = status_a[i] == 200 ? b : a;
    a_owns += status_a[i] == 200;
    EXPECT_EQ(get_status(port(), owner.access, ids[i]).status, 200);
    EXPECT_EQ(get_status(port(), loser.access, ids[i]).status, 404);
  }
  std::cout << "first writes won by A: " << a_owns << "/" << resources << "\n";
}

TEST_F(StatusApi, AdminsOfTheOwnersOrganizationOnly) {
  auto team = make_team(port(), "status");
  auto other = make_team(port(), "status-other");
  auto id = unique_resource("org");
  ASSERT_EQ(
      put_stage(port(), team.user.access, id, "ingestion", R"({"status":"completed"})").status,
      200);
  // The admin of the owner's organization reads and writes.
  EXPECT_EQ(get_status(port(), team.admin.access, id).status, 200);
  auto w = put_stage(port(), team.admin.access, id, "quality", R"({"status":"failed"})");
  EXPECT_EQ(w.status, 200) << w.body;
  EXPECT_EQ(field(w, "/overall"), "failed");
  // The owner still owns it and sees the admin's write.
  EXPECT_EQ(field(get_status(port(), team.user.access, id), "/stages/quality/status"), "failed");
  // A counselor of that organization, and the admin of another: 404.
  EXPECT_EQ(get_status(port(), team.counselor.access, id).status, 404);
  EXPECT_EQ(put_stage(port(), team.counselor.access, id, "graph", R"({"status":"failed"})").status,
            404);
  EXPECT_EQ(get_status(port(), other.admin.access, id).status, 404);
  EXPECT_EQ(put_stage(port(), other.admin.access, id, "graph", R"({"status":"failed"})").status,
            404);
  // An admin's own first write makes the admin the owner; the org's user is not admin.
  auto mine = unique_resource("admin-owned");
  ASSERT_EQ(put_stage(port(), team.admin.access, mine, "graph", R"({"status":"pending"})").status,
            200);
  EXPECT_EQ(get_status(port(), team.user.access, mine).status, 404);
  // A user without an organization: only they see it, whatever admins exist.
  auto solo = register_account(port());
  auto solo_id = unique_resource("solo");
  ASSERT_EQ(put_stage(port(), solo.access, solo_id, "graph", R"({"status":"pending"})").status,
            200);
  EXPECT_EQ(get_status(port(), team.admin.access, solo_id).status, 404);
}

TEST_F(StatusApi, RecordsLive24HoursRefreshedByEachUpdate) {
  auto u = register_account(port());
  auto id = unique_resource("ttl");
  ASSERT_EQ(put_stage(port(), u.access, id, "graph", R"({"status":"pending"})").status, 200);
  redis_probe redis{the_stack().redis_port()};
  constexpr int64_t day_ms = 24LL * 3600 * 1000;
  auto ttl = redis.integer({"PTTL", record_key(id)});
  EXPECT_GT(ttl, day_ms - 60000);
  EXPECT_LE(ttl, day_ms);
  // Age it, then update: the TTL is back to a full day.
  ASSERT_EQ(redis.integer({"PEXPIRE", record_key(id), "5000"}), 1);
  EXPECT_LE(redis.integer({"PTTL", record_key(id)}), 5000);
  ASSERT_EQ(put_stage(port(), u.access, id, "graph", R"({"status":"processing"})").status, 200);
  EXPECT_GT(redis.integer({"PTTL", record_key(id)}), day_ms - 60000);
  // Once it expires the record is gone: 404, and the next writer owns it anew.
  ASSERT_EQ(redis.integer({"PEXPIRE", record_key(id), "1"}), 1);
  ASSERT_TRUE(eventually([&] { return get_status(port(), u.access, id).status == 404; }, 5s));
  auto other = register_account(port());
  EXPECT_EQ(put_stage(port(), other.access, id, "graph", R"({"status":"pending"})").status, 200);
  EXPECT_EQ(get_status(port(), u.access, id).status, 404);
}

TEST_F(StatusApi, RedisDownIs503ThenRecovers) {
  auto u = register_account(port());
  auto id = unique_resource("down");
  ASSERT_EQ(put_stage(port(), u.access, id, "graph", R"({"status":"pending"})").status, 200);
  the_stack().stop("redis");
  auto p = put_stage(port(), u.access, id, "graph", R"({"status":"processing"})");
  EXPECT_EQ(p.status, 503) << p.body;
  EXPECT_EQ(field(p, "/error/code"), "dependency_unavailable");
  EXPECT_FALSE(p.header_or_empty("Retry-After").empty());
  auto g = get_status(port(), u.access, id);
  EXPECT_EQ(g.status, 503) << g.body;
  EXPECT_EQ(field(g, "/error/code"), "dependency_unavailable");
  EXPECT_FALSE(g.header_or_empty("Retry-After").empty());
  the_stack().start("redis");
  // This Redis keeps nothing across a restart (no persistence in the test
  // stack): the resource starts anew and is written again.
  EXPECT_TRUE(eventually(
      [&] {
        return put_stage(port(), u.access, id, "graph", R"({"status":"processing"})").status == 200;
      },
      15s, 200ms));
  auto after = get_status(port(), u.access, id);
  EXPECT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(field(after, "/stages/graph/status"), "processing");
}

} // namespace
} // namespace haven::test::status
