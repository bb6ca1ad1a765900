// The sync actors on CAF's deterministic scheduler with a fake pool: an
// upload is read, planned and written in one transaction (claim first) and
// answered only after it; a claim that finds the state moved reads and plans
// again; a store error is the answer; an idle per-user queue is passivated
// and a new one takes the next upload.
#include <chrono>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include <caf/all.hpp>

#include "actors/sync_queue/sync_actor.hpp"
#include "actors/sync_queue/sync_sql.hpp"
#include "messages/errors.hpp"
#include "messages/health.hpp"
#include "messages/sync.hpp"
#include "messages/type_ids.hpp"

namespace haven::sync {
namespace {

struct fake_pg {
  std::vector<pg_batch> batches;
  int fail_writes_moved = 0; // the next N transactions fail with sync_state_moved
  bool down = false;
};

pg_pool_actor spawn_fake_pg(caf::actor_system& sys, std::shared_ptr<fake_pg> rec) {
  // A spawn argument, not a capture: CAF 0.17.6 dereferences a null argument
  // tuple when a function actor has none (UBSan stops there).
  auto fake = [](std::shared_ptr<fake_pg> rec) -> pg_pool_actor::behavior_type {
    return {
        [rec](pg_batch& b) -> caf::result<std::vector<pg_result>> {
          rec->batches.push_back(b);
          if (rec->down)
            return make_error(errc::dependency_unavailable, "postgres down");
          if (b.transaction && rec->fail_writes_moved > 0) {
            --rec->fail_writes_moved;
            return make_conflict_error(std::string{claim_moved});
          }
          return std::vector<pg_result>(b.statements.size());
        },
    };
  };
  return sys.spawn(fake, std::move(rec));
}

struct SyncActor : ::testing::Test {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::shared_ptr<fake_pg> pg = std::make_shared<fake_pg>();
  std::shared_ptr<sync_metrics> metrics = std::make_shared<sync_metrics>();
  sync_actor actor;

  SyncActor() {
    cfg.add_message_types<caf::id_block::haven>();
    cfg.add_message_types<caf::id_block::haven_pg>();
    cfg.add_message_types<caf::id_block::haven_bus>();
    cfg.add_message_types<caf::id_block::haven_sync>();
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.set("logger.file-verbosity", caf::atom("quiet"));
    cfg.set("logger.console", caf::atom("none"));
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    auto settings = std::make_shared<config::settings>();
    settings->node_id = "test-node";
    sync_deps d;
    d.cfg = settings;
    d.pg = spawn_fake_pg(*sys, pg);
    d.metrics = metrics;
    d.idle = std::chrono::milliseconds{1};
    actor = spawn_sync_actor(*sys, d);
  }

  ~SyncActor() override {
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    run();
  }

  void run() {
    while (sched->try_run_once()) {
    }
  }

  static sync_upload upload(int ops) {
    sync_upload up{"00000000-0000-4000-8000-0000000000aa", "phone", "req-1", {}};
    for (int i = 0; i < ops; ++i) {
      sync_op op;
      op.op_id = "10000000-0000-4000-8000-00000000000" + std::to_string(i);
      op.entity = "journal_entry";
      op.entity_id = "20000000-0000-4000-8000-00000000000" + std::to_string(i);
      op.payload = "{}";
      up.ops.push_back(op);
    }
    return up;
  }

  caf::expected<sync_upload_result> send(sync_upload up) {
    caf::scoped_actor self{*sys};
    auto handle = self->request(actor, caf::infinite, std::move(up));
    run();
    caf::expected<sync_upload_result> out{caf::error{}};
    bool answered = false;
    handle.receive(
        [&](sync_upload_result& r) {
          out = std::move(r);
          answered = true;
        },
        [&](caf::error& err) {
          out = std::move(err);
          answered = true;
        });
    EXPECT_TRUE(answered);
    return out;
  }
};

TEST_F(SyncActor, ReadsThenWritesOneTransactionThatClaimsFirst) {
  auto r = send(upload(2));
  ASSERT_TRUE(r) << sys->render(r.error());
  ASSERT_EQ(r->results.size(), 2u);
  EXPECT_EQ(r->results[0].status, "applied");
  EXPECT_EQ(r->results[1].version, 1);
  EXPECT_EQ(r->cursor_seq, 2);
  ASSERT_EQ(pg->batches.size(), 2u);
  EXPECT_FALSE(pg->batches[0].transaction);
  const auto& w = pg->batches[1];
  EXPECT_TRUE(w.transaction);
  EXPECT_NE(w.statements.front().sql.find("sync_claim"), std::string::npos);
  // claim, outcomes, entities, changes, then one outbox row per applied op
  ASSERT_EQ(w.statements.size(), 6u);
  EXPECT_NE(w.statements[4].sql.find("INSERT INTO outbox"), std::string::npos);
  EXPECT_EQ(w.statements[4].params[1].text, "sync.applied");
  EXPECT_EQ(metrics->applied.load(), 2u);
  EXPECT_EQ(metrics->queues.load(), 1);
}

TEST_F(SyncActor, AMovedStateIsReadAndPlannedAgain) {
  pg->fail_writes_moved = 2;
  auto r = send(upload(1));
  ASSERT_TRUE(r) << sys->render(r.error());
  EXPECT_EQ(r->results.at(0).status, "applied");
  EXPECT_EQ(pg->batches.size(), 6u); // (read, write) x 3
  EXPECT_EQ(metrics->replans.load(), 2u);
}

TEST_F(SyncActor, AStoreErrorIsTheAnswer) {
  pg->down = true;
  auto r = send(upload(1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), static_cast<uint8_t>(errc::dependency_unavailable));
  EXPECT_EQ(metrics->failed.load(), 1u);
  pg->down = false;
  EXPECT_TRUE(send(upload(1))); // the queue goes on with the next upload
}

TEST_F(SyncActor, IdleQueuesArePassivatedAndComeBackOnDemand) {
  ASSERT_TRUE(send(upload(1)));
  EXPECT_EQ(metrics->queues.load(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds{5}); // past the 1 ms idle limit
  // One passivation tick of the front (it re-arms itself: never loop on it).
  sched->trigger_timeout();
  run();
  EXPECT_EQ(metrics->queues.load(), 0);
  auto again = send(upload(1));
  ASSERT_TRUE(again);
  EXPECT_EQ(metrics->queues.load(), 1);
}

} // namespace
} // namespace haven::sync
