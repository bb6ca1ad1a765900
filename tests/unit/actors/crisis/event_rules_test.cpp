// The pure rules behind the crisis endpoints: status filter, counselor order,
// when an event is stored, the answer's shape, the resource phone allowlist.
#include <gtest/gtest.h>

#include "actors/crisis/event_rules.hpp"
#include "actors/crisis/routes/crisis_json.hpp"
#include "tests/unit/actors/crisis/crisis_test_util.hpp"

namespace haven::crisis {
namespace {

TEST(crisis_status_filter, defaults_to_open_and_rejects_other_values) {
  EXPECT_EQ(parse_status_filter(std::nullopt), "open");
  EXPECT_EQ(parse_status_filter(""), "open");
  EXPECT_EQ(parse_status_filter("open"), "open");
  EXPECT_EQ(parse_status_filter("acknowledged"), "acknowledged");
  EXPECT_EQ(parse_status_filter("all"), "all");
  EXPECT_FALSE(parse_status_filter("OPEN"));
  EXPECT_FALSE(parse_status_filter("closed"));
  EXPECT_FALSE(parse_status_filter("open'--"));
}

crisis_event_view ev(std::string id, std::string level, std::string at) {
  crisis_event_view e;
  e.id = std::move(id);
  e.risk_level = std::move(level);
  e.created_at = std::move(at);
  return e;
}

TEST(crisis_event_order, severity_first_then_longest_waiting) {
  std::vector<crisis_event_view> v{
      ev("a", "high", "2024-05-01T10:00:00.000Z"), ev("b", "critical", "2024-05-01T12:00:00.000Z"),
      ev("c", "high", "2024-05-01T09:00:00.000Z"), ev("d", "critical", "2024-05-01T11:00:00.000Z"),
      ev("e", "high", "2024-05-01T09:00:00.000Z"),
  };
  sort_for_counselors(v);
  std::vector<std::string> ids;
  for (auto& e : v)
    ids.push_back(e.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"d", "b", "c", "e", "a"}));
  EXPECT_LT(severity_rank("critical"), severity_rank("high"));
  EXPECT_LT(severity_rank("high"), severity_rank("medium"));
}

assessment with_level(risk_level l, double score) {
  assessment a;
  a.level = l;
  a.score = score;
  return a;
}

TEST(crisis_escalation_plan, without_session_every_high_message_stores) {
  auto p = plan_escalation(with_level(risk_level::high, 0.7), nullptr, false);
  EXPECT_TRUE(p.escalate);
  EXPECT_TRUE(p.store_new);
  p = plan_escalation(with_level(risk_level::medium, 0.5), nullptr, false);
  EXPECT_FALSE(p.escalate);
  EXPECT_FALSE(p.store_new);
}

TEST(crisis_escalation_plan, a_held_session_reuses_its_event_unless_it_rises) {
  trajectory_step held;
  held.level = risk_level::high;
  held.escalate = false;
  auto calm = with_level(risk_level::none, 0.0);
  auto p = plan_escalation(calm, &held, true);
  EXPECT_EQ(p.level, risk_level::high); // never drops on one calm message
  EXPECT_TRUE(p.escalate);
  EXPECT_FALSE(p.store_new);
  EXPECT_GE(p.score, 0.6); // in the reported level's band
  EXPECT_LT(p.score, 0.85);
  // No event known on this node (e.g. the earlier store failed): store one.
  EXPECT_TRUE(plan_escalation(calm, &held, false).store_new);
  trajectory_step rise = held;
  rise.level = risk_level::critical;
  rise.escalate = true;
  p = plan_escalation(calm, &rise, true);
  EXPECT_TRUE(p.store_new);
  EXPECT_GE(p.score, 0.85);
}

TEST(crisis_detect_answer, lists_only_counting_signals_and_resources_when_elevated) {
  auto a = score(test::lexicons(), "I would never hurt myself but I want to die");
  auto plan = plan_escalation(a, nullptr, false);
  resource r{"Line", "+254 722 178 177", "", {"sw-ke", "sw"}, "src", verification::verified};
  resource star{"Any", "", "https://findahelpline.com", {"*"}, "src", verification::verified};
  auto res = make_detect_result(a, plan, {&r, &star}, "sw-KE");
  EXPECT_EQ(res.risk_level, "high");
  EXPECT_TRUE(res.escalate);
  ASSERT_FALSE(res.signals.empty());
  for (auto& s : res.signals)
    EXPECT_EQ(s.evidence.find("never"), std::string::npos) << s.evidence;
  ASSERT_EQ(res.resources.size(), 2u);
  EXPECT_EQ(res.resources[0].locale, "sw-ke");
  EXPECT_EQ(res.resources[1].locale, "sw-ke"); // '*' serves the requested locale
  auto body = detect_body(res);
  EXPECT_NE(body.find("\"event_id\":null"), std::string::npos) << body;
  EXPECT_EQ(body.find("\"phone\":\"\""), std::string::npos) << body; // absent, not empty
  EXPECT_NE(body.find("\"url\":\"https://findahelpline.com\""), std::string::npos) << body;

  auto calm = score(test::lexicons(), "lovely weather today");
  auto none = make_detect_result(calm, plan_escalation(calm, nullptr, false), {&r}, "en");
  EXPECT_EQ(none.risk_level, "none");
  EXPECT_TRUE(none.resources.empty());
  EXPECT_TRUE(none.signals.empty());
}

TEST(crisis_detect_answer, someone_else_at_risk_now_is_high_with_other_person) {
  auto a = score(test::lexicons(),
                 "my brother locked himself in his room and keeps saying he's going to die");
  auto res = make_detect_result(a, plan_escalation(a, nullptr, false), {}, "en");
  EXPECT_EQ(res.risk_level, "high");
  EXPECT_TRUE(res.escalate);
  EXPECT_TRUE(res.other_person);
  EXPECT_NE(detect_body(res).find("\"other_person\":true"), std::string::npos);
  auto mine = score(test::lexicons(), "I want to die");
  auto own = make_detect_result(mine, plan_escalation(mine, nullptr, false), {}, "en");
  EXPECT_FALSE(own.other_person);
  EXPECT_EQ(detect_body(own).find("other_person"), std::string::npos); // only when true
}

TEST(crisis_event_json, nulls_and_optional_fields) {
  crisis_event_view e = ev("id1", "critical", "2024-05-01T10:00:00.000Z");
  e.user_id = "u1";
  e.score = 0.9;
  e.status = "open";
  auto body = event_body(e);
  EXPECT_EQ(body, "{\"event\":{\"id\":\"id1\",\"user_id\":\"u1\",\"session_id\":null,"
                  "\"risk_level\":\"critical\",\"score\":0.9,"
                  "\"created_at\":\"2024-05-01T10:00:00.000Z\",\"status\":\"open\"}}");
  e.acknowledged_by = "c1";
  e.session_id = "s1";
  EXPECT_NE(events_body({e}).find("\"acknowledged_by\":\"c1\""), std::string::npos);
  EXPECT_NE(events_body({e}).find("\"session_id\":\"s1\""), std::string::npos);
  EXPECT_EQ(events_body({}), "{\"events\":[]}");
}

TEST(crisis_resource_phones, splits_fields_and_adds_the_kenyan_national_form) {
  resource_set set;
  set.items.push_back({"a", "+254 722 178 177", "", {"sw"}, "", verification::verified});
  set.items.push_back({"b", "999 / 112", "", {"sw"}, "", verification::verified});
  set.items.push_back({"c", "", "https://x", {"*"}, "", verification::verified});
  auto phones = resource_phones(set);
  EXPECT_EQ(phones, (std::vector<std::string>{"+254 722 178 177", "0722 178 177", "999", "112"}));
}

} // namespace
} // namespace haven::crisis
