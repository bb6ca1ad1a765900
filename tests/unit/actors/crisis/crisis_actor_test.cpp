// The crisis shard as an actor, on CAF's deterministic scheduler
// (tests/unit/support/test_actor_system.hpp): what it writes to PostgreSQL,
// when it answers, and what a store that fails or never answers does to the
// answer. The stores are small fake actors that record what they receive.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actors/crisis/crisis_actor.hpp"
#include "actors/crisis/resources.hpp"
#include "messages/errors.hpp"
#include "tests/unit/actors/crisis/crisis_test_util.hpp"
#include "tests/unit/support/fake_stores.hpp"
#include "tests/unit/support/test_actor_system.hpp"

namespace haven::crisis {
namespace {

using namespace haven::test;

struct crisis_actor_test : ::testing::Test {
  test_actor_system ts;
  std::shared_ptr<pg_record> pg = std::make_shared<pg_record>();
  std::shared_ptr<outbox_record> outbox = std::make_shared<outbox_record>();
  std::shared_ptr<safety_metrics> metrics = std::make_shared<safety_metrics>();
  crisis_actor actor;

  crisis_actor_test() {
    auto cfg = std::make_shared<config::settings>();
    cfg->node_id = "test-node";
    auto lex = load_lexicons(test::data_dir(), model_options{}); // the rules: deterministic
    auto res = load_resources(test::data_dir() + "/resources.tsv");
    EXPECT_TRUE(lex.lexicons) << lex.error;
    EXPECT_TRUE(res.resources) << res.error;
    auto fake_pg = ts.track(spawn_fake_pg(*ts.sys, pg));
    auto fake_outbox = ts.track(spawn_fake_outbox(*ts.sys, outbox));
    actor =
        ts.track(spawn_crisis_actor(*ts.sys, crisis_deps{cfg, lex.lexicons, res.resources, fake_pg,
                                                         fake_outbox, metrics, redis_actor{}}));
  }

  static crisis_detect_request request(std::string text) {
    crisis_detect_request r;
    r.caller.user_id = "6f1c2a52-3c8e-4d7e-9a51-0b7f4d1f2a10";
    r.caller.org_id = "0d9b0a0e-2f7c-4c1a-8c55-5d2f4f3b9e21";
    r.caller.request_id = "req-1";
    r.text = std::move(text);
    r.locale = "en";
    return r;
  }

  caf::expected<crisis_detect_result> detect(crisis_detect_request r, bool expire = false) {
    return ts.ask<crisis_detect_result>(actor, std::move(r), expire);
  }
};

const char* critical_text = "I have the pills counted out and I am taking them all tonight";

TEST_F(crisis_actor_test, a_calm_message_is_answered_without_touching_the_store) {
  auto res = detect(request("work was long today but dinner with my sister was nice"));
  ASSERT_TRUE(res) << ts.sys->render(res.error());
  EXPECT_EQ(res->risk_level, "none");
  EXPECT_TRUE(res->event_id.empty());
  EXPECT_TRUE(pg->batches.empty());
  EXPECT_EQ(outbox->pokes, 0);
}

TEST_F(crisis_actor_test, an_escalation_is_answered_only_after_its_event_and_outbox_row_commit) {
  auto res = detect(request(critical_text));
  ASSERT_TRUE(res) << ts.sys->render(res.error());
  EXPECT_EQ(res->risk_level, "critical");
  EXPECT_FALSE(res->event_id.empty());
  ASSERT_EQ(pg->batches.size(), 1u);
  const pg_batch& b = pg->batches.front();
  EXPECT_TRUE(b.transaction); // the event and its announcement: all or nothing
  ASSERT_EQ(b.statements.size(), 2u);
  EXPECT_NE(b.statements[0].sql.find("INSERT INTO crisis_events"), std::string::npos);
  EXPECT_EQ(b.statements[0].params[0].text, res->event_id);
  EXPECT_NE(b.statements[1].sql.find("INSERT INTO outbox"), std::string::npos);
  // No message text in the stored event or its announcement.
  for (const auto& st : b.statements)
    for (const auto& p : st.params)
      EXPECT_EQ(p.text.find("pills counted"), std::string::npos) << st.sql;
  EXPECT_EQ(outbox->pokes, 1); // the relay is told at once
  EXPECT_EQ(metrics->escalations.load(), 1u);
}

TEST_F(crisis_actor_test, an_escalation_the_store_refuses_is_never_answered_as_stored) {
  pg->mode = store_mode::fail;
  auto res = detect(request(critical_text));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error(), make_error(errc::dependency_unavailable));
  EXPECT_EQ(outbox->pokes, 0);
  EXPECT_EQ(metrics->escalations.load(), 0u);
  EXPECT_EQ(metrics->escalation_failures.load(), 1u);
}

TEST_F(crisis_actor_test, a_store_that_never_answers_ends_in_an_error_at_the_deadline) {
  pg->mode = store_mode::silent;
  auto res = detect(request(critical_text), /*expire=*/true);
  ASSERT_FALSE(res); // the actor's own deadline fired: no event id was invented
  EXPECT_EQ(outbox->pokes, 0);
  EXPECT_EQ(metrics->escalation_failures.load(), 1u);
}

TEST_F(crisis_actor_test, each_escalation_without_a_session_stores_its_own_event) {
  auto first = detect(request(critical_text));
  auto second = detect(request(critical_text));
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_NE(first->event_id, second->event_id);
  EXPECT_EQ(pg->batches.size(), 2u);
}

} // namespace
} // namespace haven::crisis
