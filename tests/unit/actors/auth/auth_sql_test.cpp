#include <gtest/gtest.h>

#include "actors/auth/auth_sql.hpp"
#include "messages/errors.hpp"

using namespace haven;
using namespace haven::auth;

// L6: a unique violation reaches the auth flows as errc::conflict with the
// constraint's name as context (persistence/pg/pg_errors.cpp). Known names
// become the API's codes; any other name is dropped, never shown to a client.
TEST(auth_sql, conflicts_never_carry_a_constraint_name_out) {
  auto known = map_conflict(make_conflict_error("users_email_key"));
  EXPECT_EQ(known.code(), static_cast<uint8_t>(errc::email_taken));
  auto other = map_conflict(make_conflict_error("refresh_tokens_pkey"));
  EXPECT_EQ(other.code(), static_cast<uint8_t>(errc::conflict));
  EXPECT_EQ(other.category(), errc_category);
  EXPECT_TRUE(other.context().empty());
  EXPECT_EQ(conflict_constraint(other), "");
  auto down = map_conflict(make_error(errc::dependency_unavailable));
  EXPECT_EQ(down.code(), static_cast<uint8_t>(errc::dependency_unavailable));
}
