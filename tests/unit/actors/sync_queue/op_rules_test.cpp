// The rules of one upload (actors/sync_queue/op_rules.hpp): outcomes,
// versions, duplicates (stored and inside one upload), feed positions.
#include <gtest/gtest.h>

#include "actors/sync_queue/op_rules.hpp"

namespace haven::sync {
namespace {

const std::string e1 = "00000000-0000-4000-8000-000000000001";
const std::string e2 = "00000000-0000-4000-8000-000000000002";

std::string op_id(int n) {
  auto s = std::to_string(n);
  return "10000000-0000-4000-8000-" + std::string(12 - s.size(), '0') + s;
}

sync_op upsert(int n, const std::string& entity_id, int64_t base,
               std::string entity = "journal_entry") {
  sync_op op;
  op.op_id = op_id(n);
  op.entity = std::move(entity);
  op.entity_id = entity_id;
  op.base_version = base;
  op.payload = "{}";
  return op;
}

sync_op remove(int n, const std::string& entity_id, int64_t base) {
  auto op = upsert(n, entity_id, base);
  op.is_delete = true;
  op.payload.clear();
  return op;
}

sync_upload upload(std::vector<sync_op> ops) {
  return sync_upload{"u", "d", "r", std::move(ops)};
}

TEST(SyncOpRules, FirstUpsertNeedsBaseZeroAndMakesVersionOne) {
  auto p = make_plan(upload({upsert(1, e1, 0), upsert(2, e1, 1), upsert(3, e1, 1)}), {});
  ASSERT_EQ(p.results.size(), 3u);
  EXPECT_EQ(p.results[0].status, "applied");
  EXPECT_EQ(p.results[0].version, 1);
  EXPECT_EQ(p.results[1].status, "applied");
  EXPECT_EQ(p.results[1].version, 2);
  EXPECT_EQ(p.results[2].status, "conflict");
  EXPECT_EQ(p.results[2].server_version, 2);
  ASSERT_EQ(p.changes.size(), 2u);
  EXPECT_EQ(p.changes[0].seq, 1);
  EXPECT_EQ(p.changes[1].seq, 2);
  EXPECT_EQ(p.last_seq, 2);
  EXPECT_EQ(p.entities.at(e1).version, 2);
  EXPECT_EQ(p.outcomes.size(), 3u); // the conflict is recorded too
}

TEST(SyncOpRules, ConflictCarriesServerVersion) {
  store_view v;
  v.revision = 4;
  v.last_seq = 10;
  v.entities[e1] = {"journal_entry", 3, false};
  auto p = make_plan(upload({upsert(1, e1, 0), upsert(2, e1, 3)}), v);
  EXPECT_EQ(p.results[0].status, "conflict");
  EXPECT_EQ(p.results[0].server_version, 3);
  EXPECT_EQ(p.results[0].version, 3);
  EXPECT_EQ(p.results[1].status, "applied");
  EXPECT_EQ(p.results[1].version, 4);
  EXPECT_EQ(p.results[1].server_version, -1);
  EXPECT_EQ(p.changes.at(0).seq, 11);
}

TEST(SyncOpRules, StoredOpIdIsDuplicateWithItsFirstOutcome) {
  store_view v;
  v.outcomes[op_id(1)] = {"applied", 7, -1, {}};
  v.outcomes[op_id(2)] = {"conflict", 2, 2, {}};
  v.outcomes[op_id(3)] = {"rejected", 0, -1, "payload_too_large"};
  auto p = make_plan(upload({upsert(1, e1, 0), upsert(2, e1, 0), upsert(3, e1, 0)}), v);
  EXPECT_EQ(p.results[0].status, "duplicate");
  EXPECT_EQ(p.results[0].first_status, "applied");
  EXPECT_EQ(p.results[0].version, 7);
  EXPECT_EQ(p.results[1].first_status, "conflict");
  EXPECT_EQ(p.results[1].server_version, 2);
  EXPECT_EQ(p.results[2].first_status, "rejected");
  EXPECT_EQ(p.results[2].error, "payload_too_large");
  EXPECT_FALSE(p.writes());
  EXPECT_TRUE(p.changes.empty());
}

TEST(SyncOpRules, RepeatedOpIdInOneUploadIsDuplicateOfTheFirst) {
  auto second = upsert(1, e2, 0); // same op id, other content: still the first's outcome
  auto p = make_plan(upload({upsert(1, e1, 0), second}), {});
  EXPECT_EQ(p.results[0].status, "applied");
  EXPECT_EQ(p.results[1].status, "duplicate");
  EXPECT_EQ(p.results[1].first_status, "applied");
  EXPECT_EQ(p.results[1].version, 1);
  EXPECT_EQ(p.changes.size(), 1u);
  EXPECT_EQ(p.outcomes.size(), 1u);
  EXPECT_EQ(p.entities.count(e2), 0u);
}

TEST(SyncOpRules, RejectedOpsDoNotStopTheOthers) {
  auto bad = upsert(2, e2, 0);
  bad.reject = "payload_too_large";
  bad.field = "payload";
  auto p = make_plan(upload({upsert(1, e1, 0), bad, upsert(3, e2, 0)}), {});
  EXPECT_EQ(p.results[0].status, "applied");
  EXPECT_EQ(p.results[1].status, "rejected");
  EXPECT_EQ(p.results[1].error, "payload_too_large");
  EXPECT_EQ(p.results[1].field, "payload");
  EXPECT_EQ(p.results[2].status, "applied");
  EXPECT_EQ(p.results[2].version, 1);
}

TEST(SyncOpRules, DeleteThenUpsertAgain) {
  auto p = make_plan(upload({upsert(1, e1, 0), remove(2, e1, 1), remove(3, e1, 2), upsert(4, e1, 2),
                             remove(5, e2, 0)}),
                     {});
  EXPECT_EQ(p.results[1].status, "applied");
  EXPECT_EQ(p.results[1].version, 2);
  EXPECT_EQ(p.results[2].status, "rejected"); // already deleted
  EXPECT_EQ(p.results[2].error, "not_found");
  EXPECT_EQ(p.results[3].status, "applied"); // a deleted entity comes back
  EXPECT_EQ(p.results[3].version, 3);
  EXPECT_FALSE(p.entities.at(e1).deleted);
  EXPECT_EQ(p.results[4].error, "not_found"); // never existed
}

TEST(SyncOpRules, EntityIdKeepsItsKind) {
  store_view v;
  v.entities[e1] = {"mood_log", 1, false};
  auto p = make_plan(upload({upsert(1, e1, 1, "journal_entry")}), v);
  EXPECT_EQ(p.results[0].status, "rejected");
  EXPECT_EQ(p.results[0].error, "entity_mismatch");
  EXPECT_EQ(p.results[0].version, 1);
}

} // namespace
} // namespace haven::sync
