#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "messages/pg.hpp"
#include "persistence/pg/pg_conninfo.hpp"

namespace haven::outbox {

/// One libpq connection for one detached actor (the outbox relay), used only
/// through libpq's non-blocking API: every wait is a poll() with a deadline,
/// so a hung server costs at most the timeout. Not thread-safe.
class pg_session {
 public:
  explicit pg_session(std::string conninfo);
  ~pg_session();
  pg_session(const pg_session&) = delete;
  pg_session& operator=(const pg_session&) = delete;

  bool connected() const;

  /// Opens the connection within `timeout`. `err` never contains the password.
  bool connect(std::chrono::milliseconds timeout, std::string& err);

  /// Drops the connection (the server rolls back an open transaction).
  void close();

  /// Runs one parameterized statement (text format). On an SQL error returns
  /// false with the connection still usable; on a timeout or a broken
  /// connection returns false and closes it. `out` may be null.
  bool exec(const char* sql, const std::vector<pg_value>& params, pg_result* out,
            std::chrono::milliseconds timeout, std::string& err);

  /// The SQLSTATE of the last SQL error ("42P01" = undefined table), or "".
  const std::string& last_sqlstate() const { return last_sqlstate_; }

 private:
  using clock = std::chrono::steady_clock;
  bool flush(clock::time_point deadline, std::string& err);
  std::string safe_error(const char* msg) const { return conninfo_.safe_error(msg, 200); }

  pg::conninfo conninfo_; // its password scrubbed from libpq's messages
  pg_conn* conn_ = nullptr;
  std::string last_sqlstate_;
};

} // namespace haven::outbox
