// API.md section 4 crisis endpoints against the real binary and stack:
// detection levels, escalation stored AND emitted (crisis.detected), the
// counselor's list and ack, roles (403) and other organizations (404), and
// that no message text reaches the log or the bus.
#include "tests/integration/safety_test_support.hpp"

namespace haven::test::safety {
namespace {

// A word no lexicon knows, to find the text if it leaks anywhere.
const std::string marker = "Xylophonequartz";

std::string plan_text() {
  return "I wrote my suicide note and I am going to kill myself tonight " + marker;
}

class SafetyCrisis : public auth_suite {
 protected:
  static http_response detect(const account& a, const std::string& body) {
    return call(port(), "POST", "/v1/crisis/detect", body, a.access);
  }
};

TEST_F(SafetyCrisis, LevelsOverHttp) {
  auto u = register_account(port());
  auto neg = detect(u, text_body("I would never hurt myself " + marker));
  ASSERT_EQ(neg.status, 200) << neg.body;
  auto level = field(neg, "/risk_level");
  EXPECT_TRUE(level == "none" || level == "low") << neg.body;
  EXPECT_EQ(field(neg, "/escalate"), "false");
  EXPECT_EQ(field(neg, "/event_id"), "<null>");
  EXPECT_EQ(field(neg, "/signals"), "[]");

  auto idiom = detect(u, text_body("this traffic is killing me"));
  EXPECT_EQ(field(idiom, "/risk_level"), "none") << idiom.body;

  auto crit = detect(u, text_body(plan_text(), {{"locale", "sw-KE"}}));
  ASSERT_EQ(crit.status, 200) << crit.body;
  EXPECT_EQ(field(crit, "/risk_level"), "critical") << crit.body;
  EXPECT_EQ(field(crit, "/escalate"), "true");
  EXPECT_GE(std::stod(field(crit, "/score")), 0.85);
  EXPECT_NE(field(crit, "/resources/0/name"), "<missing>") << crit.body;
  EXPECT_NE(field(crit, "/resources/0/locale"), "<missing>");
  EXPECT_NE(field(crit, "/signals/0/category"), "<missing>");
  EXPECT_EQ(field(crit, "/event_id").size(), 36u) << crit.body;
  EXPECT_EQ(crit.body.find(marker), std::string::npos); // evidence = matched words only
}

TEST_F(SafetyCrisis, EscalationIsStoredEmittedListedAndAcknowledged) {
  raw_nats nats{stack_->nats_url()};
  auto* sub = nats.subscribe("haven.events.crisis.detected");
  auto a = make_team(port(), "crisis-a");
  auto b = make_team(port(), "crisis-b");
  auto r = detect(a.user, text_body(plan_text(), {{"session_id", "s-1"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  auto id = field(r, "/event_id");
  ASSERT_EQ(id.size(), 36u) << r.body;

  auto ev = next_on(sub, "haven.events.crisis.detected", id);
  ASSERT_TRUE(ev) << "no crisis.detected event";
  auto* hid = nats::find_header(*ev, "Haven-Event-Id");
  ASSERT_NE(hid, nullptr);
  EXPECT_EQ(*hid, field(ev->data, "/id"));
  EXPECT_EQ(field(ev->data, "/type"), "crisis.detected");
  EXPECT_EQ(field(ev->data, "/org_id"), a.admin.org_id);
  EXPECT_EQ(field(ev->data, "/data/event_id"), id);
  EXPECT_EQ(field(ev->data, "/data/user_id"), a.user.id);
  EXPECT_EQ(field(ev->data, "/data/session_id"), "s-1");
  EXPECT_EQ(field(ev->data, "/data/risk_level"), "critical");
  EXPECT_EQ(field(ev->data, "/request_id"), r.header_or_empty("x-request-id"));
  EXPECT_EQ(ev->data.find(marker), std::string::npos) << "message text on the bus";
  EXPECT_EQ(ev->data.find("suicide note"), std::string::npos) << "message text on the bus";

  // The counselor of the same organization sees it, on top.
  auto list = call(port(), "GET", "/v1/crisis/events", {}, a.counselor.access);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(field(list, "/events/0/id"), id) << list.body;
  EXPECT_EQ(field(list, "/events/0/user_id"), a.user.id);
  EXPECT_EQ(field(list, "/events/0/session_id"), "s-1");
  EXPECT_EQ(field(list, "/events/0/status"), "open");
  EXPECT_EQ(field(list, "/events/0/acknowledged_by"), "<missing>");
  // Another organization's counselor neither sees nor acks it; a user gets 403.
  auto other = call(port(), "GET", "/v1/crisis/events?status=all", {}, b.counselor.access);
  ASSERT_EQ(other.status, 200);
  EXPECT_EQ(other.body.find(id), std::string::npos);
  auto path = "/v1/crisis/events/" + id + "/ack";
  EXPECT_EQ(call(port(), "POST", path, "{}", b.counselor.access).status, 404);
  EXPECT_EQ(call(port(), "POST", path, "{}", b.admin.access).status, 404);
  EXPECT_EQ(call(port(), "GET", "/v1/crisis/events", {}, a.user.access).status, 403);
  EXPECT_EQ(call(port(), "POST", path, "{}", a.user.access).status, 403);
  EXPECT_EQ(call(port(), "GET", "/v1/crisis/events?status=closed", {}, a.admin.access).status, 422);
  EXPECT_EQ(call(port(), "POST", "/v1/crisis/events/not-a-uuid/ack", "{}", a.admin.access).status,
            404);

  auto ack = call(port(), "POST", path, obj({{"note", "called them"}}), a.counselor.access);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(field(ack, "/event/status"), "acknowledged");
  EXPECT_EQ(field(ack, "/event/acknowledged_by"), a.counselor.id);
  // Idempotent: a second ack (even by another staff member) keeps the first.
  auto again = call(port(), "POST", path, "{}", a.admin.access);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(field(again, "/event/acknowledged_by"), a.counselor.id);
  auto open = call(port(), "GET", "/v1/crisis/events", {}, a.admin.access);
  EXPECT_EQ(open.body.find(id), std::string::npos);
  auto acked = call(port(), "GET", "/v1/crisis/events?status=acknowledged", {}, a.admin.access);
  EXPECT_NE(acked.body.find(id), std::string::npos);

  // The node's log never holds the message text.
  EXPECT_EQ(node_->log_text().find(marker), std::string::npos);
}

TEST_F(SafetyCrisis, SessionLevelHoldsAndReusesItsEvent) {
  auto u = register_account(port());
  auto first = detect(u, text_body("I want to die", {{"session_id", "hold-1"}}));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(field(first, "/risk_level"), "high") << first.body;
  auto id = field(first, "/event_id");
  ASSERT_EQ(id.size(), 36u);
  auto calm = detect(u, text_body("ok thanks", {{"session_id", "hold-1"}}));
  EXPECT_EQ(field(calm, "/risk_level"), "high") << calm.body;
  EXPECT_EQ(field(calm, "/event_id"), id);
  // Another user with the same session id has a trajectory of their own.
  auto v = register_account(port());
  auto theirs = detect(v, text_body("ok thanks", {{"session_id", "hold-1"}}));
  EXPECT_EQ(field(theirs, "/risk_level"), "none") << theirs.body;
}

TEST_F(SafetyCrisis, UserWithoutOrganizationStillEscalates) {
  auto u = register_account(port());
  auto r = detect(u, text_body(plan_text()));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/event_id").size(), 36u);
  auto m = call(port(), "GET", "/metrics");
  EXPECT_NE(m.body.find("haven_crisis_escalations_total"), std::string::npos);
}

TEST_F(SafetyCrisis, BadRequests) {
  auto u = register_account(port());
  EXPECT_EQ(call(port(), "POST", "/v1/crisis/detect", text_body("hi")).status, 401);
  EXPECT_EQ(detect(u, "{\"text\": ").status, 400);
  EXPECT_EQ(detect(u, "{}").status, 422);
  EXPECT_EQ(detect(u, R"({"text": 42})").status, 422);
  EXPECT_EQ(detect(u, R"({"text": ""})").status, 422);
  EXPECT_EQ(detect(u, R"({"text": "hi", "locale": "not a locale"})").status, 422);
  EXPECT_EQ(detect(u, R"({"text": "hi", "session_id": "a b"})").status, 422);
  auto big = detect(u, text_body(std::string(8193, 'a')));
  EXPECT_EQ(big.status, 422) << big.body;
  EXPECT_EQ(field(big, "/error/details/0/field"), "text");
  EXPECT_EQ(detect(u, text_body(std::string(8192, 'a'))).status, 200);
  EXPECT_EQ(detect(u, text_body(std::string(70 * 1024, 'a'))).status, 413);
  EXPECT_EQ(call(port(), "POST", "/v1/crisis/detect", "text=hi", u.access, {}, "text/plain").status,
            415);
}

TEST_F(SafetyCrisis, MissingDataStopsStartUpWithOneLine) {
  auto env = auth_env(*stack_, {{"HAVEN_CRISIS_DATA_DIR", "/nonexistent/crisis"}});
  auto r = run_haven({"serve"}, env);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("crisis data (/nonexistent/crisis)"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("listening"), std::string::npos);
}

} // namespace
} // namespace haven::test::safety
