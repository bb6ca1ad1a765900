#include "persistence/outbox/pg_session.hpp"

#include <libpq-fe.h>

#include "persistence/pg/pg_socket.hpp"

namespace haven::outbox {

namespace {

// Waits for `events` on `fd` until `deadline`; POLLERR/POLLHUP count as ready
// (libpq then reads the socket and reports the actual error).
bool wait_socket(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  return pg::wait_socket(fd, events, deadline) == pg::wait_result::ready;
}

} // namespace

pg_session::pg_session(std::string conninfo) : conninfo_(std::move(conninfo)) {}

pg_session::~pg_session() {
  close();
}

bool pg_session::connected() const {
  return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK;
}

void pg_session::close() {
  if (conn_ != nullptr) {
    PQfinish(conn_);
    conn_ = nullptr;
  }
}

bool pg_session::connect(std::chrono::milliseconds timeout, std::string& err) {
  close();
  const auto deadline = clock::now() + timeout;
  conn_ = PQconnectStart(conninfo_.text().c_str());
  if (conn_ == nullptr) {
    err = "out of memory";
    return false;
  }
  const auto r = pg::finish_connect(conn_, deadline);
  if (r == pg::connect_result::connected)
    return true;
  err = r == pg::connect_result::failed ? safe_error(PQerrorMessage(conn_)) : "connect timeout";
  close();
  return false;
}

bool pg_session::flush(clock::time_point deadline, std::string& err) {
  for (int f; (f = PQflush(conn_)) != 0;) {
    // Reading while the output is blocked avoids a deadlock (libpq docs).
    if (f < 0 || !wait_socket(PQsocket(conn_), POLLIN | POLLOUT, deadline) ||
        PQconsumeInput(conn_) == 0) {
      err = f < 0 ? safe_error(PQerrorMessage(conn_)) : "query timeout";
      return false;
    }
  }
  return true;
}

bool pg_session::exec(const char* sql, const std::vector<pg_value>& params, pg_result* out,
                      std::chrono::milliseconds timeout, std::string& err) {
  last_sqlstate_.clear();
  if (!connected()) {
    err = "not connected";
    return false;
  }
  const auto deadline = clock::now() + timeout;
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params)
    values.push_back(p.is_null ? nullptr : p.text.c_str());
  if (PQsendQueryParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(),
                        nullptr, nullptr, 0) == 0 ||
      !flush(deadline, err)) {
    if (err.empty())
      err = safe_error(PQerrorMessage(conn_));
    close();
    return false;
  }
  bool ok = false;
  std::string sql_err;
  for (;;) {
    if (PQconsumeInput(conn_) == 0) {
      err = safe_error(PQerrorMessage(conn_));
      close();
      return false;
    }
    while (PQisBusy(conn_) == 0) {
      PGresult* res = PQgetResult(conn_);
      if (res == nullptr) { // every result of this statement has been read
        if (!ok)
          err = sql_err.empty() ? "no result" : sql_err;
        return ok;
      }
      const auto status = PQresultStatus(res);
      if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        ok = true;
        if (out != nullptr) {
          const int rows = PQntuples(res), cols = PQnfields(res);
          out->rows.assign(static_cast<size_t>(rows), {});
          for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c)
              out->rows[static_cast<size_t>(r)].push_back(
                  PQgetisnull(res, r, c) ? pg_value::null() : pg_value::of(PQgetvalue(res, r, c)));
          const char* n = PQcmdTuples(res);
          out->affected = (n != nullptr && *n != '\0') ? std::stoull(n) : 0;
        }
      } else {
        const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        last_sqlstate_ = state != nullptr ? state : "";
        sql_err = safe_error(PQresultErrorMessage(res));
      }
      PQclear(res);
    }
    if (!wait_socket(PQsocket(conn_), POLLIN, deadline)) {
      err = "query timeout";
      close();
      return false;
    }
  }
}

} // namespace haven::outbox
