#include <gtest/gtest.h>

#include "messages/errors.hpp"
#include "persistence/pg/migrations.hpp"

namespace {

using haven::pg::order_migrations;
using haven::pg::parse_migration_filename;

TEST(MigrationNames, ParsesVersionAndName) {
  auto p = parse_migration_filename("0001_outbox.sql");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->first, 1);
  EXPECT_EQ(p->second, "outbox");
  p = parse_migration_filename("0420_users_and_orgs_2.sql");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->first, 420);
  EXPECT_EQ(p->second, "users_and_orgs_2");
}

TEST(MigrationNames, RejectsAnythingElse) {
  for (const char* bad :
       {"0000_zero.sql", "001_short.sql", "00001_long.sql", "0001-outbox.sql", "0001_.sql",
        "0001_Outbox.sql", "0001_out box.sql", "0001_outbox.SQL", "0001_outbox.sql.bak",
        "abcd_outbox.sql", "0001_outbox", "README.md", "0001_x'; DROP TABLE y.sql"})
    EXPECT_FALSE(parse_migration_filename(bad)) << bad;
}

TEST(MigrationNames, OrdersByVersionNotByListOrder) {
  auto list =
      order_migrations({{"0010_ten.sql", "b"}, {"0002_two.sql", "a"}, {"0100_hundred.sql", "c"}});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].version, 2);
  EXPECT_EQ((*list)[0].sql, "a");
  EXPECT_EQ((*list)[1].version, 10);
  EXPECT_EQ((*list)[2].name, "hundred");
}

TEST(MigrationNames, RefusesDuplicatesAndBadNames) {
  auto dup = order_migrations({{"0001_a.sql", ""}, {"0001_b.sql", ""}});
  ASSERT_FALSE(dup);
  EXPECT_EQ(static_cast<haven::errc>(dup.error().code()), haven::errc::internal);
  EXPECT_FALSE(order_migrations({{"1_a.sql", ""}}));
}

TEST(MigrationNames, EmbeddedListHasTheOutbox) {
  auto list = haven::pg::embedded_migrations();
  ASSERT_TRUE(list);
  ASSERT_FALSE(list->empty());
  EXPECT_EQ(list->front().version, 1);
  EXPECT_EQ(list->front().name, "outbox");
  EXPECT_NE(list->front().sql.find("CREATE TABLE IF NOT EXISTS outbox"), std::string::npos);
  for (size_t i = 1; i < list->size(); ++i)
    EXPECT_LT((*list)[i - 1].version, (*list)[i].version);
}

} // namespace
