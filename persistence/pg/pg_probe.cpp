#include "persistence/pg/pg_probe.hpp"

#include <cerrno>
#include <string_view>

#include <poll.h>

#include <libpq-fe.h>

namespace haven {

namespace {

using clock = std::chrono::steady_clock;

enum class wait_result { ready, timeout, error };

// Waits for `events` on `fd` until `deadline`. POLLERR/POLLHUP count as ready:
// libpq then reads the socket and reports the actual error.
wait_result wait_socket(int fd, short events, clock::time_point deadline) {
  if (fd < 0)
    return wait_result::error;
  for (;;) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0)
      return wait_result::timeout;
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc > 0)
      return wait_result::ready;
    if (rc == 0)
      return wait_result::timeout;
    if (errno != EINTR)
      return wait_result::error;
  }
}

const char* wait_error(wait_result r, const char* what) {
  return r == wait_result::timeout ? what : "poll failed";
}

} // namespace

pg_probe::pg_probe(std::string conninfo) : conninfo_(std::move(conninfo)) {
  // Parse once: to refuse a bad string early (its parse error could quote the
  // string itself) and to learn the password so it never reaches a log line.
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo_.c_str(), &err);
  if (opts == nullptr) {
    invalid_ = "invalid connection string";
    PQfreemem(err);
    return;
  }
  for (auto* o = opts; o->keyword != nullptr; ++o)
    if (std::string_view{o->keyword} == "password" && o->val != nullptr)
      password_ = o->val;
  PQconninfoFree(opts);
}

pg_probe::~pg_probe() {
  disconnect();
}

void pg_probe::disconnect() {
  if (conn_ != nullptr) {
    PQfinish(conn_); // sends Terminate without waiting: the socket is non-blocking
    conn_ = nullptr;
  }
}

std::string pg_probe::safe_error(const char* msg) const {
  std::string s = msg != nullptr ? msg : "";
  s = s.substr(0, s.find('\n'));
  if (!password_.empty())
    for (auto pos = s.find(password_); pos != std::string::npos; pos = s.find(password_))
      s.replace(pos, password_.size(), "***");
  if (s.size() > 160)
    s.resize(160);
  return s.empty() ? "unknown error" : s;
}

bool pg_probe::connect(clock::time_point deadline, std::string& err) {
  conn_ = PQconnectStart(conninfo_.c_str());
  if (conn_ == nullptr) {
    err = "out of memory";
    return false;
  }
  // The docs say to behave as if the first PQconnectPoll returned WRITING.
  // The socket may change between calls (several hosts), so ask every time.
  for (auto st = PGRES_POLLING_WRITING; st != PGRES_POLLING_OK;) {
    if (st == PGRES_POLLING_FAILED || PQstatus(conn_) == CONNECTION_BAD) {
      err = safe_error(PQerrorMessage(conn_));
      return false;
    }
    auto w = wait_socket(PQsocket(conn_), st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline);
    if (w != wait_result::ready) {
      err = wait_error(w, "connect timeout");
      return false;
    }
    st = PQconnectPoll(conn_);
  }
  // Non-blocking mode so that PQsendQuery/PQflush never wait for the server.
  if (PQsetnonblocking(conn_, 1) != 0) {
    err = safe_error(PQerrorMessage(conn_));
    return false;
  }
  return true;
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
  if (!invalid_.empty()) {
    res.error = invalid_;
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
