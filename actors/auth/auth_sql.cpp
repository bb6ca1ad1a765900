#include "actors/auth/auth_sql.hpp"

#include "messages/errors.hpp"

namespace haven::auth {

const char* const user_columns =
    "u.id::text, u.email, u.handle, u.display_name, u.role, u.tier, u.org_id::text, "
    "to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

std::string rfc3339_sql(const std::string& expr) {
  return "to_char(" + expr + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

const std::string& text_at(const std::vector<pg_value>& row, size_t i) {
  static const std::string empty;
  if (i >= row.size() || row[i].is_null)
    return empty;
  return row[i].text;
}

user_view user_from_row(const std::vector<pg_value>& row, size_t first) {
  user_view u;
  u.id = text_at(row, first);
  u.email = text_at(row, first + 1);
  u.handle = text_at(row, first + 2);
  u.display_name = text_at(row, first + 3);
  u.role = text_at(row, first + 4);
  u.tier = text_at(row, first + 5);
  u.org_id = text_at(row, first + 6);
  u.created_at = text_at(row, first + 7);
  return u;
}

caf::error map_conflict(caf::error err) {
  auto name = conflict_constraint(err);
  if (name == "users_email_key")
    return make_error(errc::email_taken);
  if (name == "organizations_slug_key")
    return make_error(errc::slug_taken);
  if (name == "users_invite_code_hash_key")
    return make_error(errc::invite_used);
  if (!name.empty()) // never show a constraint name to clients
    return make_error(errc::conflict);
  return err;
}

} // namespace haven::auth
