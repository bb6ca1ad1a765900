#pragma once

#include <string>
#include <vector>

#include <caf/error.hpp>

#include "messages/auth.hpp"
#include "messages/pg.hpp"

// SQL fragments and row conversions shared by the auth flows. Every statement
// is parameterized ($1, $2, …); nothing user-supplied is ever spliced in.

namespace haven::auth {

/// The USER columns of `users u`, in user_from_row's order (8 columns);
/// created_at already formatted as RFC 3339 UTC.
extern const char* const user_columns;
constexpr size_t user_column_count = 8;

/// RFC 3339 UTC text of a timestamptz expression, for SELECT lists.
std::string rfc3339_sql(const std::string& expr);

/// A USER from `row` starting at column `first`.
user_view user_from_row(const std::vector<pg_value>& row, size_t first = 0);

/// The text of a column, "" for NULL or a missing column.
const std::string& text_at(const std::vector<pg_value>& row, size_t i);

// conflict_constraint (the constraint of a pool conflict) is in messages/errors.hpp.

/// Turns unique violations into the API's conflict codes (email_taken,
/// slug_taken, invite_used); other errors pass through.
caf::error map_conflict(caf::error err);

} // namespace haven::auth
