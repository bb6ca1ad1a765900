#include "persistence/pg/pg_probe.hpp"

#include <libpq-fe.h>

#include "persistence/pg/pg_socket.hpp"

namespace haven {

namespace {

using pg::wait_result;
using pg::wait_socket;

const char* wait_error(wait_result r, const char* what) {
  return r == wait_result::timeout ? what : "poll failed";
}

} // namespace

pg_probe::pg_probe(std::string conninfo) : conninfo_(std::move(conninfo)) {}

pg_probe::~pg_probe() {
  disconnect();
}

void pg_probe::disconnect() {
  if (conn_ != nullptr) {
    PQfinish(conn_); // sends Terminate without waiting: the socket is non-blocking
    conn_ = nullptr;
  }
}

bool pg_probe::connect(clock::time_point deadline, std::string& err) {
  conn_ = PQconnectStart(conninfo_.text().c_str());
  if (conn_ == nullptr) {
    err = "out of memory";
    return false;
  }
  switch (pg::finish_connect(conn_, deadline)) {
    case pg::connect_result::connected:
      return true;
    case pg::connect_result::failed:
      err = safe_error(PQerrorMessage(conn_));
      return false;
    case pg::connect_result::timeout:
      err = "connect timeout";
      return false;
    case pg::connect_result::poll_failed:
      err = "poll failed";
      return false;
  }
  return false;
}

bool pg_probe::select_one(clock::time_point deadline, std::string& err) {
  if (PQsendQuery(conn_, "SELECT 1") == 0) {
    err = safe_error(PQerrorMessage(conn_));
    return false;
  }
  const int fd = PQsocket(conn_);
  for (int f; (f = PQflush(conn_)) != 0;) {
    if (f < 0) {
      err = safe_error(PQerrorMessage(conn_));
      return false;
    }
    auto w = wait_socket(fd, POLLIN | POLLOUT, deadline);
    // Reading while the output is blocked avoids a deadlock (libpq docs).
    if (w != wait_result::ready || PQconsumeInput(conn_) == 0) {
      err = w != wait_result::ready ? wait_error(w, "query timeout")
                                    : safe_error(PQerrorMessage(conn_));
      return false;
    }
  }
  bool ok = false;
  for (;;) {
    if (PQconsumeInput(conn_) == 0) {
      err = safe_error(PQerrorMessage(conn_));
      return false;
    }
    while (PQisBusy(conn_) == 0) {
      PGresult* res = PQgetResult(conn_);
      if (res == nullptr) { // end of this query's results
        if (!ok && err.empty())
          err = "no result";
        return ok;
      }
      if (PQresultStatus(res) == PGRES_TUPLES_OK)
        ok = true;
      else
        err = safe_error(PQresultErrorMessage(res));
      PQclear(res);
    }
    auto w = wait_socket(fd, POLLIN, deadline);
    if (w != wait_result::ready) {
      err = wait_error(w, "query timeout");
      return false;
    }
  }
}

probe_result pg_probe::ping(std::chrono::milliseconds timeout) {
  const auto start = clock::now();
  const auto deadline = start + timeout;
  probe_result res;
  if (!conninfo_.valid()) {
    res.error = "invalid connection string";
    return res;
  }
  if (conn_ != nullptr && PQstatus(conn_) != CONNECTION_OK)
    disconnect();
  const bool reused = conn_ != nullptr;
  std::string err;
  bool ok = (reused || connect(deadline, err)) && select_one(deadline, err);
  // A kept connection may have died with a server restart: that says nothing
  // about the server now, so retry once on a fresh one (never after a timeout).
  if (!ok && reused && clock::now() < deadline) {
    disconnect();
    err.clear();
    ok = connect(deadline, err) && select_one(deadline, err);
  }
  if (!ok)
    disconnect();
  res.up = ok;
  res.error = ok ? std::string{} : std::move(err);
  res.latency_ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();
  return res;
}

} // namespace haven
