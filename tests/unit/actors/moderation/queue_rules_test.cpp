// The pure rules behind the moderation endpoints: the answer's shape, queue
// filters, decisions and the stored categories.
#include <gtest/gtest.h>

#include "actors/moderation/queue_rules.hpp"
#include "actors/moderation/routes/moderation_json.hpp"
#include "tests/unit/actors/moderation/moderation_test_util.hpp"

namespace haven::moderation {
namespace {

TEST(moderation_queue_rules, filters_and_decisions) {
  EXPECT_EQ(parse_queue_filter(std::nullopt), "pending");
  EXPECT_EQ(parse_queue_filter(""), "pending");
  EXPECT_EQ(parse_queue_filter("removed"), "removed");
  EXPECT_EQ(parse_queue_filter("all"), "all");
  EXPECT_FALSE(parse_queue_filter("open"));
  EXPECT_EQ(status_for_decision("approve"), "approved");
  EXPECT_EQ(status_for_decision("remove"), "removed");
  EXPECT_FALSE(status_for_decision("Approve"));
  EXPECT_FALSE(status_for_decision(""));
}

TEST(moderation_queue_rules, categories_round_trip_through_json) {
  std::vector<category_score> cats{{"violence_threat", 0.9}, {"pii", 1}};
  auto json = categories_json(cats);
  EXPECT_EQ(json, "[{\"name\":\"violence_threat\",\"score\":0.9},{\"name\":\"pii\",\"score\":1}]");
  // PostgreSQL's jsonb text adds spaces.
  auto back = parse_categories(
      "[{\"name\": \"violence_threat\", \"score\": 0.9}, {\"name\": \"pii\", \"score\": 1}]");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].name, "violence_threat");
  EXPECT_DOUBLE_EQ(back[0].score, 0.9);
  EXPECT_DOUBLE_EQ(back[1].score, 1.0);
  EXPECT_TRUE(parse_categories("not json").empty());
}

TEST(moderation_answer, redacts_pii_and_blocks_threats) {
  moderator m{test::shipped_lexicon()};
  auto r =
      make_result(m.validate("mail me at jane@example.org or 0712 345 678", direction::input, ""));
  EXPECT_TRUE(r.allowed);
  EXPECT_EQ(r.action, "redact");
  EXPECT_EQ(r.text, "mail me at [EMAIL] or [PHONE]");
  ASSERT_FALSE(r.categories.empty());
  EXPECT_EQ(r.categories[0].name, "pii");
  auto body = json_shapes::validate_body(r);
  EXPECT_EQ(body, "{\"allowed\":true,\"action\":\"redact\",\"categories\":[{\"name\":\"pii\","
                  "\"score\":1}],\"text\":\"mail me at [EMAIL] or [PHONE]\"}");

  auto t = make_result(m.validate("I am going to kill you tomorrow", direction::input, ""));
  EXPECT_FALSE(t.allowed);
  EXPECT_EQ(t.action, "block");
  EXPECT_EQ(t.text, "");
}

TEST(moderation_item_json, shape) {
  moderation_item_view i{
      "id1", "u1", "input", {{"harassment", 0.5}}, "allow", "2024-05-01T10:00:00.000Z", "pending"};
  EXPECT_EQ(json_shapes::item_body(i),
            "{\"item\":{\"id\":\"id1\",\"user_id\":\"u1\",\"direction\":\"input\","
            "\"categories\":[{\"name\":\"harassment\",\"score\":0.5}],\"action\":\"allow\","
            "\"created_at\":\"2024-05-01T10:00:00.000Z\",\"status\":\"pending\"}}");
  EXPECT_EQ(json_shapes::items_body({}), "{\"items\":[]}");
}

} // namespace
} // namespace haven::moderation
