#include "persistence/pg/pg_connection.hpp"

#include <string_view>
#include <thread>

#include <libpq-fe.h>

#include "persistence/pg/pg_socket.hpp"

namespace haven::pg {

connection::connection(std::string conninfo) : conninfo_(std::move(conninfo)) {
  // Parse once: to refuse a bad string early (its parse error may quote the
  // string) and to learn the password so it never reaches a log line.
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo_.c_str(), &err);
  if (opts == nullptr) {
    invalid_ = true;
    PQfreemem(err);
    return;
  }
  for (auto* o = opts; o->keyword != nullptr; ++o)
    if (std::string_view{o->keyword} == "password" && o->val != nullptr)
      password_ = o->val;
  PQconninfoFree(opts);
}

connection::~connection() {
  close();
}

void connection::close() {
  if (conn_ != nullptr) {
    PQfinish(conn_); // sends Terminate without waiting: the socket is non-blocking
    conn_ = nullptr;
  }
}

std::string connection::safe_error(const char* msg) const {
  std::string s = msg != nullptr ? msg : "";
  s = s.substr(0, s.find('\n'));
  if (!password_.empty())
    for (auto pos = s.find(password_); pos != std::string::npos; pos = s.find(password_))
      s.replace(pos, password_.size(), "***");
  if (s.size() > 160)
    s.resize(160);
  return s.empty() ? "unknown error" : s;
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
  if (invalid_) {
    out.fail = failure::unavailable;
    out.reason = "invalid connection string";
    return out;
  }
  // fallback_application_name names us in pg_stat_activity unless the
  // connection string says otherwise; expand_dbname parses the conninfo.
  const char* keys[] = {"fallback_application_name", "dbname", nullptr};
  const char* values[] = {"haven", conninfo_.c_str(), nullptr};
  conn_ = PQconnectStartParams(keys, values, 1);
  if (conn_ == nullptr) {
    out.fail = failure::unavailable;
    out.reason = "out of memory";
    return out;
  }
  // As if the first PQconnectPoll said WRITING (libpq docs). The socket may
  // change between calls (several hosts), so ask for it every time.
  for (auto st = PGRES_POLLING_WRITING; st != PGRES_POLLING_OK;) {
    if (st == PGRES_POLLING_FAILED || PQstatus(conn_) == CONNECTION_BAD) {
      auto reason = safe_error(PQerrorMessage(conn_));
      lost(out, "");
      out.reason = std::move(reason);
      return out;
    }
    auto w = wait_socket(PQsocket(conn_), st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline);
    if (w != wait_result::ready) {
      lost(out, w == wait_result::timeout ? "connect timeout" : "poll failed");
      return out;
    }
    st = PQconnectPoll(conn_);
  }
  // Non-blocking, so that sending and flushing never wait for the server;
  // notices (e.g. "already exists, skipping") must not go to stderr.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  if (PQsetnonblocking(conn_, 1) != 0) {
    auto reason = safe_error(PQerrorMessage(conn_));
    lost(out, "");
    out.reason = std::move(reason);
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
