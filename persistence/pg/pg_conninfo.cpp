#include "persistence/pg/pg_conninfo.hpp"

#include <string_view>

#include <libpq-fe.h>

#include "persistence/pg/pg_socket.hpp"

namespace haven::pg {

conninfo::conninfo(std::string text) : text_(std::move(text)) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(text_.c_str(), &err);
  PQfreemem(err);
  if (opts == nullptr) {
    valid_ = false;
    return;
  }
  for (auto* o = opts; o->keyword != nullptr; ++o)
    if (std::string_view{o->keyword} == "password" && o->val != nullptr)
      password_ = o->val;
  PQconninfoFree(opts);
}

std::string conninfo::safe_error(const char* msg, std::size_t max_size) const {
  std::string s = msg != nullptr ? msg : "";
  s = s.substr(0, s.find('\n'));
  if (!password_.empty())
    for (auto pos = s.find(password_); pos != std::string::npos; pos = s.find(password_))
      s.replace(pos, password_.size(), "***");
  if (s.size() > max_size)
    s.resize(max_size);
  return s.empty() ? "unknown error" : s;
}

connect_result finish_connect(pg_conn* c, std::chrono::steady_clock::time_point deadline) {
  // As if the first PQconnectPoll said WRITING (libpq docs). The socket may
  // change between calls (several hosts), so ask for it every time.
  for (auto st = PGRES_POLLING_WRITING; st != PGRES_POLLING_OK; st = PQconnectPoll(c)) {
    if (st == PGRES_POLLING_FAILED || PQstatus(c) == CONNECTION_BAD)
      return connect_result::failed;
    auto w = wait_socket(PQsocket(c), st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline);
    if (w != wait_result::ready)
      return w == wait_result::timeout ? connect_result::timeout : connect_result::poll_failed;
  }
  return PQsetnonblocking(c, 1) == 0 ? connect_result::connected : connect_result::failed;
}

} // namespace haven::pg
