#pragma once

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "messages/pg.hpp"
#include "persistence/pg/pg_conninfo.hpp"
#include "persistence/pg/pg_errors.hpp"

struct pg_conn; // libpq's PGconn, kept out of this header

namespace haven::pg {

using clock = std::chrono::steady_clock;

/// What became of a connect, a batch or a script.
struct outcome {
  failure fail = failure::none;
  std::string sqlstate;   // of the first SQL error (empty for client-side failures)
  std::string constraint; // for conflicts
  std::string reason;     // short and safe to log: no SQL text, parameters or passwords
  std::vector<pg_result> results;
  bool ok() const { return fail == failure::none; }
};

/// One PostgreSQL connection driven through libpq's non-blocking API: every
/// wait is a poll() on PQsocket bounded by a deadline, so no call blocks past
/// it (the calling thread is a detached actor's own thread). Not thread-safe.
class connection {
 public:
  explicit connection(std::string conninfo);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// Connected, and the server has not closed the socket meanwhile (checked
  /// without waiting, so a batch is not sent into a connection that a server
  /// restart already killed).
  bool usable();

  bool connected() const { return conn_ != nullptr; }

  /// Opens a new connection (closing any old one). Failures are `unavailable`.
  outcome connect(clock::time_point deadline);

  /// Runs the batch: one statement alone, several in pipeline mode with one
  /// sync (PostgreSQL runs them as one implicit transaction), `transaction`
  /// adds BEGIN/COMMIT. Past `deadline` the query is cancelled (PQcancel) and
  /// the connection kept if the server confirms within `grace`; otherwise it is
  /// closed. A transaction left open by a failure is rolled back.
  outcome run(const pg_batch& batch, clock::time_point deadline, clock::duration grace);

  /// Runs trusted SQL text (several statements, no parameters) with the simple
  /// query protocol: migrations only, never request data.
  outcome run_script(const std::string& sql, clock::time_point deadline, clock::duration grace);

  void close();

 private:
  class reader;
  outcome exec_simple(const std::string& sql, clock::time_point deadline, clock::duration grace);
  bool flush(clock::time_point deadline, outcome& out);
  void lost(outcome& out, const char* what);
  std::future<void> cancel_async();
  void rollback_if_open(clock::duration grace);
  void finish_cancel(std::future<void>& cancelled, clock::duration grace);
  std::string safe_error(const char* msg) const { return conninfo_.safe_error(msg); }

  pg::conninfo conninfo_;
  pg_conn* conn_ = nullptr;
};

} // namespace haven::pg
