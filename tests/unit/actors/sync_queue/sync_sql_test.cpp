// The sync statements' array literals and row parsing (actors/sync_queue/sync_sql.hpp).
#include <gtest/gtest.h>

#include "actors/sync_queue/sync_sql.hpp"

namespace haven::sync {
namespace {

TEST(SyncSql, TextArrayQuotesEverything) {
  std::string a = "plain", b = R"({"k":"v\"q\\"})", c = "NULL", empty;
  EXPECT_EQ(text_array({&a, nullptr, &c, &empty}), R"({"plain",NULL,"NULL",""})");
  EXPECT_EQ(text_array({&b}), R"({"{\"k\":\"v\\\"q\\\\\"}"})");
  EXPECT_EQ(text_array({}), "{}");
}

TEST(SyncSql, ChangesPageSaysWhetherThereIsMore) {
  sync_changes_query q{"u", 5, 2};
  pg_result rows;
  for (int seq : {6, 7, 8})
    rows.rows.push_back({pg_value::of(std::to_string(seq)), pg_value::of("journal_entry"),
                         pg_value::of("e"), pg_value::of("1"), pg_value::of("upsert"),
                         pg_value::of("{}"), pg_value::of("d"), pg_value::of("t")});
  auto page = read_changes(q, rows);
  ASSERT_EQ(page.changes.size(), 2u);
  EXPECT_TRUE(page.has_more);
  EXPECT_EQ(page.cursor_seq, 7);
  rows.rows.pop_back();
  page = read_changes(q, rows);
  EXPECT_FALSE(page.has_more);
  EXPECT_EQ(page.cursor_seq, 7);
  page = read_changes(q, pg_result{});
  EXPECT_EQ(page.cursor_seq, 5); // nothing new: the same position
}

TEST(SyncSql, WriteBatchClaimsFirstAndSkipsEmptyParts) {
  sync_upload up{"u", "d", "r", {}};
  sync_op op;
  op.op_id = "10000000-0000-4000-8000-000000000001";
  op.reject = "unknown_entity";
  up.ops.push_back(op);
  auto p = make_plan(up, {});
  auto b = write_batch(up, {}, p, {});
  EXPECT_TRUE(b.transaction);
  ASSERT_EQ(b.statements.size(), 2u); // claim + outcomes: nothing applied
  EXPECT_NE(b.statements[0].sql.find("sync_claim"), std::string::npos);
}

} // namespace
} // namespace haven::sync
