// The moderation actor on CAF's deterministic scheduler: a flagged text is
// queued for review (item + moderation.flagged outbox row in one transaction,
// no text stored) before it is answered; a clean text never touches the store;
// a store that refuses or stays silent never yields an answer that claims the
// item was queued.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "actors/moderation/lexicon_loader.hpp"
#include "actors/moderation/moderation_actor.hpp"
#include "actors/moderation/moderator.hpp"
#include "tests/unit/support/fake_stores.hpp"
#include "tests/unit/support/test_actor_system.hpp"

namespace haven::moderation {
namespace {

using namespace haven::test;

struct moderation_actor_test : ::testing::Test {
  test_actor_system ts;
  std::shared_ptr<pg_record> pg = std::make_shared<pg_record>();
  std::shared_ptr<outbox_record> outbox = std::make_shared<outbox_record>();
  std::shared_ptr<crisis::safety_metrics> metrics = std::make_shared<crisis::safety_metrics>();
  moderation_actor actor;

  moderation_actor_test() {
    auto cfg = std::make_shared<config::settings>();
    cfg->node_id = "test-node";
    auto lex = load_lexicon_dir(find_data_dir());
    EXPECT_TRUE(lex.lex) << lex.error;
    auto mod = std::make_shared<const moderator>(lex.lex);
    auto fake_pg = ts.track(spawn_fake_pg(*ts.sys, pg));
    auto fake_outbox = ts.track(spawn_fake_outbox(*ts.sys, outbox));
    actor = ts.track(
        spawn_moderation_actor(*ts.sys, moderation_deps{cfg, mod, fake_pg, fake_outbox, metrics}));
  }

  static moderation_request request(std::string text, std::string direction = "input") {
    moderation_request r;
    r.caller.user_id = "6f1c2a52-3c8e-4d7e-9a51-0b7f4d1f2a10";
    r.caller.org_id = "0d9b0a0e-2f7c-4c1a-8c55-5d2f4f3b9e21";
    r.caller.request_id = "req-1";
    r.text = std::move(text);
    r.direction = std::move(direction);
    return r;
  }

  caf::expected<moderation_result> validate(moderation_request r, bool expire = false) {
    return ts.ask<moderation_result>(actor, std::move(r), expire);
  }
};

// Clear instructions for self-harm: blocked on input (API.md section 4).
const char* blocked_text = "kys you worthless loser, nobody wants you here";

TEST_F(moderation_actor_test, a_clean_text_is_allowed_without_touching_the_store) {
  auto res = validate(request("thank you, talking about my week helped a lot"));
  ASSERT_TRUE(res) << ts.sys->render(res.error());
  EXPECT_EQ(res->action, "allow");
  EXPECT_TRUE(res->allowed);
  EXPECT_TRUE(pg->batches.empty());
}

TEST_F(moderation_actor_test, a_flagged_text_is_queued_with_its_event_before_the_answer) {
  auto res = validate(request(blocked_text));
  ASSERT_TRUE(res) << ts.sys->render(res.error());
  EXPECT_EQ(res->action, "block");
  EXPECT_FALSE(res->allowed);
  ASSERT_EQ(pg->batches.size(), 1u);
  const pg_batch& b = pg->batches.front();
  EXPECT_TRUE(b.transaction);
  ASSERT_EQ(b.statements.size(), 2u);
  EXPECT_NE(b.statements[0].sql.find("INSERT INTO moderation_items"), std::string::npos);
  EXPECT_NE(b.statements[1].sql.find("INSERT INTO outbox"), std::string::npos);
  for (const auto& st : b.statements)
    for (const auto& p : st.params)
      EXPECT_EQ(p.text.find("worthless"), std::string::npos) << st.sql; // no text stored
  EXPECT_EQ(outbox->pokes, 1);
}

TEST_F(moderation_actor_test, a_refused_store_is_a_retryable_error_not_a_silent_pass) {
  pg->mode = store_mode::fail;
  auto res = validate(request(blocked_text));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error(), make_error(errc::dependency_unavailable));
  EXPECT_EQ(outbox->pokes, 0);
}

TEST_F(moderation_actor_test, a_silent_store_ends_in_an_error_at_the_deadline) {
  pg->mode = store_mode::silent;
  auto res = validate(request(blocked_text), /*expire=*/true);
  ASSERT_FALSE(res);
  EXPECT_EQ(outbox->pokes, 0);
}

} // namespace
} // namespace haven::moderation
