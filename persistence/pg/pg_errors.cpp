#include "persistence/pg/pg_errors.hpp"

#include "messages/errors.hpp"

namespace haven::pg {

failure classify_sqlstate(std::string_view s) {
  if (s.size() != 5)
    return failure::internal;
  if (s == "23505" || s == "23P01") // unique_violation, exclusion_violation
    return failure::conflict;
  if (s == "40001" || s == "40P01") // serialization_failure, deadlock_detected
    return failure::retry;
  const auto cls = s.substr(0, 2);
  // 08: connection exception; 53: insufficient resources (too many
  // connections, out of memory, disk full); 57P01-57P05: admin shutdown, crash
  // shutdown, cannot connect now (starting up), idle session timeout;
  // 57014: query_canceled, which only our own timeout cancel causes;
  // 25006: read-only transaction (connected to a standby after a failover).
  if (cls == "08" || cls == "53" || s == "57014" || s == "25006" || (s.substr(0, 3) == "57P"))
    return failure::unavailable;
  return failure::internal;
}

caf::error to_error(failure f, std::string_view constraint) {
  switch (f) {
    case failure::none:
      return {};
    case failure::conflict:
      return make_conflict_error(std::string{constraint});
    case failure::retry:
      return make_error(errc::conflict, "concurrent update, please retry");
    case failure::unavailable:
      return make_retry_error(errc::dependency_unavailable, "the database is unavailable", 1);
    case failure::internal:
      break;
  }
  return make_error(errc::internal);
}

const char* to_string(failure f) {
  switch (f) {
    case failure::none:
      return "none";
    case failure::conflict:
      return "conflict";
    case failure::retry:
      return "retry";
    case failure::unavailable:
      return "unavailable";
    case failure::internal:
      return "internal";
  }
  return "internal";
}

} // namespace haven::pg
