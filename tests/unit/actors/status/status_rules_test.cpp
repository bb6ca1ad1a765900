// Processing status (API.md section 7), pure rules: the overall rule over
// every stage combination, names, the resource id rule, who may access a
// record, and how a stored record reads back.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <set>

#include "actors/status/status_rules.hpp"

namespace haven::status {
namespace {

constexpr std::array<state, 4> all_states{state::pending, state::processing, state::completed,
                                          state::failed};

// The rule as API.md words it, on the set of statuses present (independent
// of overall()'s single pass).
state overall_by_the_book(const std::array<state, stage_count>& s) {
  std::set<state> present(s.begin(), s.end());
  if (present.count(state::failed))
    return state::failed;
  if (present.count(state::processing))
    return state::processing;
  if (present == std::set<state>{state::completed})
    return state::completed;
  return state::pending;
}

TEST(StatusOverall, EveryCombinationOfFiveStagesMatchesTheContract) {
  int combos = 0, completed = 0, pending = 0;
  for (int code = 0; code < 1024; ++code) { // 4^5
    std::array<state, stage_count> s{};
    int c = code;
    for (auto& x : s) {
      x = all_states[c % 4];
      c /= 4;
    }
    auto got = overall(s);
    ASSERT_EQ(got, overall_by_the_book(s)) << "combination " << code;
    // Order of stages never matters.
    auto reversed = s;
    std::reverse(reversed.begin(), reversed.end());
    ASSERT_EQ(overall(reversed), got);
    ++combos;
    completed += got == state::completed;
    pending += got == state::pending;
  }
  EXPECT_EQ(combos, 1024);
  EXPECT_EQ(completed, 1); // only all five completed
  EXPECT_EQ(pending, 31);  // pending/completed mixes with at least one pending: 2^5 - 1
}

TEST(StatusOverall, NamedCases) {
  using s = state;
  EXPECT_EQ(overall({s::pending, s::pending, s::pending, s::pending, s::pending}), s::pending);
  EXPECT_EQ(overall({s::completed, s::completed, s::completed, s::completed, s::pending}),
            s::pending);
  EXPECT_EQ(overall({s::completed, s::processing, s::pending, s::pending, s::pending}),
            s::processing);
  EXPECT_EQ(overall({s::completed, s::processing, s::failed, s::pending, s::pending}), s::failed);
  EXPECT_EQ(overall({s::completed, s::completed, s::completed, s::completed, s::completed}),
            s::completed);
}

TEST(StatusNames, StatesAndStagesRoundTripAndRejectTheRest) {
  for (auto x : all_states)
    EXPECT_EQ(parse_state(to_string(x)), x);
  for (auto bad : {"", "Pending", "done", "completed ", "fail", "pending\n"})
    EXPECT_FALSE(parse_state(bad)) << bad;
  EXPECT_EQ(stage_index("ingestion"), 0u);
  EXPECT_EQ(stage_index("embedding"), 4u);
  for (auto bad : {"", "Ingestion", "stage", "graph/", "embeddings", "quality%20"})
    EXPECT_FALSE(stage_index(bad)) << bad;
}

TEST(StatusResourceId, PlainSegmentsUpTo128Characters) {
  for (auto ok : {"a", "doc-1", "A.b_c-9", "8b2c7f9e-3a4d-4e5f-9a6b-7c8d9e0f1a2b"})
    EXPECT_TRUE(valid_resource_id(ok)) << ok;
  EXPECT_TRUE(valid_resource_id(std::string(128, 'x')));
  EXPECT_FALSE(valid_resource_id(std::string(129, 'x')));
  for (auto bad : {"", "a b", "a/b", "a:b", "a%20b", "ü", "a\nb", "*", "{id}"})
    EXPECT_FALSE(valid_resource_id(bad)) << bad;
}

session_ref caller(std::string user, std::string org, std::string role) {
  session_ref s;
  s.user_id = std::move(user);
  s.org_id = std::move(org);
  s.role = std::move(role);
  return s;
}

TEST(StatusAccess, OwnerAndAdminsOfTheOwnersOrganizationOnly) {
  EXPECT_TRUE(may_access("u1", "o1", caller("u1", "o1", "user")));
  EXPECT_TRUE(may_access("u1", "", caller("u1", "", "user")));
  EXPECT_TRUE(may_access("u1", "o1", caller("a1", "o1", "admin")));
  EXPECT_FALSE(may_access("u1", "o1", caller("c1", "o1", "counselor")));
  EXPECT_FALSE(may_access("u1", "o1", caller("u2", "o1", "user")));
  EXPECT_FALSE(may_access("u1", "o1", caller("a2", "o2", "admin")));
  // An owner without an organization: no admin anywhere may see it.
  EXPECT_FALSE(may_access("u1", "", caller("a2", "", "admin")));
  EXPECT_FALSE(may_access("", "", caller("", "", "admin")));
}

TEST(StatusRecord, DecodesTheStoredHash) {
  std::vector<std::string> flat{"owner",       "u1",
                                "org",         "o1",
                                "updated_at",  "2026-01-01T00:00:02.000Z",
                                "quality:s",   "failed",
                                "quality:p",   "70",
                                "quality:m",   "bad input",
                                "quality:t",   "2026-01-01T00:00:02.000Z",
                                "ingestion:s", "completed",
                                "ingestion:p", "100",
                                "ingestion:t", "2026-01-01T00:00:01.000Z",
                                "unknown:s",   "failed"};
  auto r = decode_record("doc-1", flat);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->owner, "u1");
  EXPECT_EQ(r->org, "o1");
  EXPECT_EQ(r->view.resource_id, "doc-1");
  EXPECT_EQ(r->view.overall, "failed");
  EXPECT_EQ(r->view.updated_at, "2026-01-01T00:00:02.000Z");
  ASSERT_EQ(r->view.stages.size(), 5u);
  EXPECT_EQ(r->view.stages[0].status, "completed");
  EXPECT_EQ(r->view.stages[0].progress, 100);
  EXPECT_FALSE(r->view.stages[0].has_message);
  EXPECT_EQ(r->view.stages[1].status, "failed");
  EXPECT_EQ(r->view.stages[1].progress, 70);
  EXPECT_EQ(r->view.stages[1].message, "bad input");
  EXPECT_TRUE(r->view.stages[1].has_message);
  for (size_t i = 2; i < 5; ++i) {
    EXPECT_EQ(r->view.stages[i].status, "pending");
    EXPECT_EQ(r->view.stages[i].progress, 0);
    EXPECT_TRUE(r->view.stages[i].updated_at.empty());
  }
}

TEST(StatusRecord, NoOwnerMeansNoRecord) {
  EXPECT_FALSE(decode_record("x", {}));
  EXPECT_FALSE(decode_record("x", {"ingestion:s", "completed"}));
}

} // namespace
} // namespace haven::status
