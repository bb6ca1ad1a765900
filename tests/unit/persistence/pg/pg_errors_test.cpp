#include <gtest/gtest.h>

#include "io/http/error_mapping.hpp"
#include "messages/errors.hpp"
#include "persistence/pg/pg_errors.hpp"

namespace {

using haven::errc;
using haven::pg::classify_sqlstate;
using haven::pg::failure;

errc code_of(const caf::error& e) {
  return static_cast<errc>(e.code());
}

TEST(PgErrors, ConflictsKeepTheConstraintName) {
  EXPECT_EQ(classify_sqlstate("23505"), failure::conflict); // unique_violation
  EXPECT_EQ(classify_sqlstate("23P01"), failure::conflict); // exclusion_violation
  auto e = haven::pg::to_error(failure::conflict, "users_email_key");
  EXPECT_EQ(e.category(), haven::errc_category);
  EXPECT_EQ(code_of(e), errc::conflict);
  EXPECT_EQ(haven::conflict_constraint(e), "users_email_key");
  // Audit L6: the client message never names the constraint, whoever maps it.
  auto shown = haven::http::map_error(e, "rid");
  EXPECT_EQ(shown.status, 409);
  EXPECT_EQ(shown.body.find("users_email_key"), std::string::npos) << shown.body;
  EXPECT_NE(shown.body.find("a conflicting record exists"), std::string::npos) << shown.body;
}

TEST(PgErrors, SerializationFailuresAndDeadlocksAreRetried) {
  EXPECT_EQ(classify_sqlstate("40001"), failure::retry);
  EXPECT_EQ(classify_sqlstate("40P01"), failure::retry);
  EXPECT_EQ(code_of(haven::pg::to_error(failure::retry)), errc::conflict); // after the one retry
}

TEST(PgErrors, OutagesAreDependencyUnavailableWithRetryAfter) {
  for (const char* s : {"08006", "08001", "57P01", "57P02", "57P03", "53300", "57014", "25006"})
    EXPECT_EQ(classify_sqlstate(s), failure::unavailable) << s;
  auto e = haven::pg::to_error(failure::unavailable);
  EXPECT_EQ(code_of(e), errc::dependency_unavailable);
  ASSERT_EQ(e.context().size(), 2u);
  EXPECT_EQ(e.context().get_as<uint32_t>(1), 1u); // Retry-After seconds
}

TEST(PgErrors, EverythingElseIsInternal) {
  // foreign key, not null, check, syntax, undefined table, bad input, and junk
  for (const char* s :
       {"23503", "23502", "23514", "42601", "42P01", "22P02", "40000", "", "2350", "235050"})
    EXPECT_EQ(classify_sqlstate(s), failure::internal) << s;
  auto e = haven::pg::to_error(failure::internal);
  EXPECT_EQ(code_of(e), errc::internal);
  EXPECT_TRUE(e.context().empty()); // nothing of the SQL error reaches clients
}

TEST(PgErrors, NoneIsNoError) {
  EXPECT_FALSE(haven::pg::to_error(failure::none));
}

} // namespace
