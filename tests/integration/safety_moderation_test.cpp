// API.md section 4 moderation endpoints against the real binary and stack:
// PII redaction, a blocked threat queued and emitted (moderation.flagged),
// the review queue and its resolution, roles and other organizations.
#include "tests/integration/safety_test_support.hpp"

namespace haven::test::safety {
namespace {

class SafetyModeration : public auth_suite {
 protected:
  static http_response validate(const account& a, const std::string& body) {
    return call(port(), "POST", "/v1/safety/validate", body, a.access);
  }
};

const std::string marker = "Quixoticzebra";

TEST_F(SafetyModeration, PiiIsRedacted) {
  auto u = register_account(port());
  auto r = validate(u, obj({{"text", "mail jane@example.org, call +254 712 345 678, card "
                                     "4111 1111 1111 1111"},
                            {"direction", "input"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/allowed"), "true");
  EXPECT_EQ(field(r, "/action"), "redact");
  EXPECT_EQ(field(r, "/text"), "mail [EMAIL], call [PHONE], card [CARD]");
  EXPECT_EQ(field(r, "/categories/0/name"), "pii");
  // The assistant can give out a crisis line (resources.tsv) unredacted.
  auto out = validate(u, obj({{"text", "Please call Befrienders Kenya on +254 722 178 177"},
                              {"direction", "output"}}));
  EXPECT_EQ(field(out, "/action"), "allow") << out.body;
  EXPECT_NE(field(out, "/text").find("+254 722 178 177"), std::string::npos);
}

TEST_F(SafetyModeration, ThreatIsBlockedQueuedEmittedAndResolved) {
  raw_nats nats{stack_->nats_url()};
  auto* sub = nats.subscribe("haven.events.moderation.flagged");
  auto a = make_team(port(), "mod-a");
  auto b = make_team(port(), "mod-b");
  auto r = validate(
      a.user, obj({{"text", "I am going to kill you tomorrow " + marker}, {"direction", "input"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(field(r, "/allowed"), "false");
  EXPECT_EQ(field(r, "/action"), "block");
  EXPECT_EQ(field(r, "/text"), "");
  EXPECT_EQ(field(r, "/categories/0/name"), "violence_threat") << r.body;

  auto ev = next_on(sub, "haven.events.moderation.flagged", a.user.id);
  ASSERT_TRUE(ev) << "no moderation.flagged event";
  ASSERT_NE(nats::find_header(*ev, "Haven-Event-Id"), nullptr);
  EXPECT_EQ(field(ev->data, "/org_id"), a.admin.org_id);
  EXPECT_EQ(field(ev->data, "/data/user_id"), a.user.id);
  EXPECT_EQ(field(ev->data, "/data/action"), "block");
  EXPECT_EQ(ev->data.find(marker), std::string::npos) << "message text on the bus";
  auto item_id = field(ev->data, "/data/item_id");

  auto q = call(port(), "GET", "/v1/moderation/queue", {}, a.counselor.access);
  ASSERT_EQ(q.status, 200) << q.body;
  EXPECT_NE(q.body.find(item_id), std::string::npos) << q.body;
  EXPECT_EQ(q.body.find(marker), std::string::npos);
  EXPECT_EQ(field(q, "/items/0/status"), "pending");
  EXPECT_EQ(field(q, "/items/0/direction"), "input");
  EXPECT_EQ(field(q, "/items/0/categories/0/name"), "violence_threat");
  EXPECT_EQ(call(port(), "GET", "/v1/moderation/queue", {}, a.user.access).status, 403);
  auto other = call(port(), "GET", "/v1/moderation/queue?status=all", {}, b.admin.access);
  EXPECT_EQ(other.body.find(item_id), std::string::npos);
  EXPECT_EQ(call(port(), "GET", "/v1/moderation/queue?status=x", {}, a.admin.access).status, 422);

  auto path = "/v1/moderation/queue/" + item_id + "/resolve";
  EXPECT_EQ(call(port(), "POST", path, obj({{"decision", "remove"}}), b.admin.access).status, 404);
  EXPECT_EQ(call(port(), "POST", path, obj({{"decision", "delete"}}), a.admin.access).status, 422);
  EXPECT_EQ(call(port(), "POST", path, "{}", a.admin.access).status, 422);
  EXPECT_EQ(call(port(), "POST", path, obj({{"decision", "remove"}}), a.user.access).status, 403);
  auto done = call(port(), "POST", path, obj({{"decision", "remove"}}), a.counselor.access);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(field(done, "/item/status"), "removed");
  EXPECT_EQ(field(done, "/item/id"), item_id);
  auto again = call(port(), "POST", path, obj({{"decision", "approve"}}), a.admin.access);
  EXPECT_EQ(field(again, "/item/status"), "removed"); // the first decision wins
  auto pending = call(port(), "GET", "/v1/moderation/queue", {}, a.admin.access);
  EXPECT_EQ(pending.body.find(item_id), std::string::npos);

  EXPECT_EQ(node_->log_text().find(marker), std::string::npos);
}

TEST_F(SafetyModeration, BadRequests) {
  auto u = register_account(port());
  EXPECT_EQ(call(port(), "POST", "/v1/safety/validate", obj({{"text", "hi"}})).status, 401);
  EXPECT_EQ(validate(u, "[1, 2").status, 400);
  EXPECT_EQ(validate(u, obj({{"text", "hi"}})).status, 422);
  EXPECT_EQ(validate(u, obj({{"text", "hi"}, {"direction", "sideways"}})).status, 422);
  EXPECT_EQ(validate(u, R"({"text": "hi", "direction": 1})").status, 422);
  EXPECT_EQ(validate(u, R"({"direction": "input"})").status, 422);
  auto big = validate(u, obj({{"text", std::string(8193, 'a')}, {"direction", "input"}}));
  EXPECT_EQ(big.status, 422);
  EXPECT_EQ(
      validate(u, obj({{"text", std::string(70 * 1024, 'a')}, {"direction", "input"}})).status,
      413);
}

} // namespace
} // namespace haven::test::safety
