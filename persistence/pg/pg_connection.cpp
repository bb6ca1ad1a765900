#include "persistence/pg/pg_connection.hpp"

#include <thread>

#include <libpq-fe.h>

#include "persistence/pg/pg_socket.hpp"

namespace haven::pg {

connection::connection(std::string conninfo) : conninfo_(std::move(conninfo)) {}

connection::~connection() {
  close();
}

void connection::close() {
  if (conn_ != nullptr) {
    PQfinish(conn_); // sends Terminate without waiting: the socket is non-blocking
    conn_ = nullptr;
  }
}

void connection::lost(outcome& out, const char* what) {
  out.fail = failure::unavailable;
  out.reason = what;
  out.results.clear();
  close();
}

bool connection::usable() {
  if (conn_ == nullptr)
    return false;
  if (PQstatus(conn_) != CONNECTION_OK) {
    close();
    return false;
  }
  // Idle, so anything readable is the server talking on its own: a notice,
  // or a FATAL and EOF when it shut down. Consuming it updates PQstatus.
  pollfd p{PQsocket(conn_), POLLIN, 0};
  if (::poll(&p, 1, 0) > 0 && (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK)) {
    close();
    return false;
  }
  while (PGnotify* n = PQnotifies(conn_)) // we never LISTEN; drop stray ones
    PQfreemem(n);
  return true;
}

outcome connection::connect(clock::time_point deadline) {
  outcome out;
  close();
  if (!conninfo_.valid()) {
    out.fail = failure::unavailable;
    out.reason = "invalid connection string";
    return out;
  }
  // fallback_application_name names us in pg_stat_activity unless the
  // connection string says otherwise; expand_dbname parses the conninfo.
  const char* keys[] = {"fallback_application_name", "dbname", nullptr};
  const char* values[] = {"haven", conninfo_.text().c_str(), nullptr};
  conn_ = PQconnectStartParams(keys, values, 1);
  if (conn_ == nullptr) {
    out.fail = failure::unavailable;
    out.reason = "out of memory";
    return out;
  }
  switch (finish_connect(conn_, deadline)) {
    case connect_result::connected:
      // Notices (e.g. "already exists, skipping") must not go to stderr.
      PQsetNoticeProcessor(
          conn_, [](void*, const char*) {}, nullptr);
      break;
    case connect_result::failed: {
      auto reason = safe_error(PQerrorMessage(conn_));
      lost(out, "");
      out.reason = std::move(reason);
      break;
    }
    case connect_result::timeout:
      lost(out, "connect timeout");
      break;
    case connect_result::poll_failed:
      lost(out, "poll failed");
      break;
  }
  return out;
}

bool connection::flush(clock::time_point deadline, outcome& out) {
  for (int f; (f = PQflush(conn_)) != 0;) {
    if (f < 0) {
      lost(out, "connection lost while sending");
      return false;
    }
    auto w = wait_socket(PQsocket(conn_), POLLIN | POLLOUT, deadline);
    // Reading while the output is blocked avoids a deadlock (libpq docs).
    if (w != wait_result::ready) {
      lost(out, w == wait_result::timeout ? "query timeout while sending" : "poll failed");
      return false;
    }
    if (PQconsumeInput(conn_) == 0) {
      lost(out, "connection lost while sending");
      return false;
    }
  }
  return true;
}

std::future<void> connection::cancel_async() {
  // PQcancel blocks until the postmaster closes the cancel socket, with no
  // timeout (libpq 15), so it runs on its own short-lived thread; the caller
  // waits for it only up to a deadline (finish_cancel).
  std::promise<void> done;
  auto fut = done.get_future();
  PGcancel* c = PQgetCancel(conn_);
  if (c == nullptr) {
    done.set_value();
    return fut;
  }
  try {
    std::thread([c, done = std::move(done)]() mutable {
      char err[256];
      PQcancel(c, err, sizeof err);
      PQfreeCancel(c);
      done.set_value();
    }).detach();
  } catch (const std::system_error&) { // no thread: give up the connection instead
    PQfreeCancel(c);
  }
  return fut;
}

void connection::finish_cancel(std::future<void>& cancelled, clock::duration grace) {
  // A cancel still in flight could hit the next batch's query: keep the
  // connection only once the postmaster confirmed it.
  if (!cancelled.valid())
    return;
  if (cancelled.wait_for(grace) != std::future_status::ready)
    close();
}

} // namespace haven::pg
