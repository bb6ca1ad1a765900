#pragma once

#include <chrono>
#include <cstddef>
#include <string>

struct pg_conn; // libpq's PGconn, kept out of this header

// What every libpq connection of ours shares (pool connections, the health
// probe, the outbox session): the connection string parsed once, libpq's
// messages made safe to log, and a connect bounded by a deadline.

namespace haven::pg {

/// A connection string parsed once: one that does not parse can be refused
/// before libpq sees it (its parse error may quote the string), and the
/// password is kept only to scrub it from libpq's messages.
class conninfo {
 public:
  explicit conninfo(std::string text);

  const std::string& text() const { return text_; }
  bool valid() const { return valid_; }

  /// The first line of a libpq message with the password replaced by ***, at
  /// most `max_size` characters; "unknown error" when that leaves nothing.
  std::string safe_error(const char* msg, std::size_t max_size = 160) const;

 private:
  std::string text_;
  std::string password_;
  bool valid_ = true;
};

enum class connect_result {
  connected, // up and in non-blocking mode
  failed,    // libpq gave up: PQerrorMessage says why
  timeout,   // the deadline passed first
  poll_failed,
};

/// Drives a connection started with PQconnectStart/PQconnectStartParams (not
/// null) until it is up, then puts it in non-blocking mode so that sending and
/// flushing never wait for the server. Every wait is a poll() on its socket
/// bounded by `deadline`. The caller closes the connection on failure.
connect_result finish_connect(pg_conn* c, std::chrono::steady_clock::time_point deadline);

} // namespace haven::pg
