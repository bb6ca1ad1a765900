#pragma once

#include <chrono>
#include <string>

#include "messages/health.hpp"
#include "persistence/pg/pg_conninfo.hpp"

namespace haven {

/// Health probe for PostgreSQL. Keeps one connection and runs `SELECT 1` on it.
/// Every call returns within its timeout, even when the server hangs: libpq is
/// only used through its non-blocking API and we poll() with the deadline
/// (pg_conninfo.hpp, pg_socket.hpp: the same connect and wait as the pool's).
/// Not thread-safe: owned by one (detached) actor.
class pg_probe {
 public:
  explicit pg_probe(std::string conninfo);
  ~pg_probe();
  pg_probe(const pg_probe&) = delete;
  pg_probe& operator=(const pg_probe&) = delete;

  /// latency_ms: the SELECT 1 round trip, or connect + query after a reconnect.
  probe_result ping(std::chrono::milliseconds timeout);

 private:
  using clock = std::chrono::steady_clock;
  bool connect(clock::time_point deadline, std::string& err);
  bool select_one(clock::time_point deadline, std::string& err);
  void disconnect();
  std::string safe_error(const char* msg) const { return conninfo_.safe_error(msg); }

  pg::conninfo conninfo_; // refused when it does not parse; its password scrubbed from errors
  pg_conn* conn_ = nullptr;
};

} // namespace haven
