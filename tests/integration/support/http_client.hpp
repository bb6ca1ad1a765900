#pragma once

// A tiny raw-socket HTTP/1.1 client for the integration tests. It sends
// exactly the bytes it is given (malformed, pipelined, split requests), parses
// one response at a time from what the server wrote (status, headers looked up
// case-insensitively, body by Content-Length or chunked), and tells a closed
// connection (read returns 0, or a reset) from a silent one. Every read has a
// deadline, so a test never hangs on a server that does not answer.
//
// Not production code, but correct: no SIGPIPE (MSG_NOSIGNAL), no fd leaks
// into spawned processes (SOCK_CLOEXEC), partial writes and EINTR handled.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace haven::test {

using namespace std::chrono_literals;

struct http_response {
  std::string version; // "HTTP/1.1"
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers; // in order, as received
  std::string body;

  /// The first header of that name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
  /// The header's value, or "" when absent.
  std::string header_or_empty(std::string_view name) const;
  bool has_header(std::string_view name) const { return header(name) != nullptr; }
  /// How many headers of that name were sent.
  size_t header_count(std::string_view name) const;
  /// `Connection: close` was sent (token match, case-insensitive).
  bool connection_close() const;
};

/// Builds a request: "METHOD target HTTP/1.1\r\nHost: 127.0.0.1\r\n<headers>
/// [Content-Length]\r\n\r\n<body>". Content-Length is added when `body` is not
/// empty and `headers` does not set one already.
std::string make_request(std::string_view method, std::string_view target,
                         const std::vector<std::pair<std::string, std::string>>& headers = {},
                         std::string_view body = {});

enum class read_status { ok, closed, timeout };

class http_connection {
 public:
  /// Connects to 127.0.0.1:port; throws std::runtime_error when that fails.
  explicit http_connection(uint16_t port, std::chrono::milliseconds timeout = 5s);
  /// Like the constructor but reports failure (refused, reset, timeout) as nullopt.
  static std::optional<http_connection> try_connect(uint16_t port,
                                                    std::chrono::milliseconds timeout = 5s);
  ~http_connection();
  http_connection(http_connection&& other) noexcept;
  http_connection& operator=(http_connection&& other) noexcept;
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  /// Writes all bytes (one send() call when the kernel takes them at once);
  /// throws when the connection is broken.
  void send(std::string_view bytes);
  /// Same, but returns false instead of throwing (EPIPE, ECONNRESET).
  bool try_send(std::string_view bytes);
  /// Sends the bytes one at a time with `pause` between them.
  void send_bytewise(std::string_view bytes, std::chrono::milliseconds pause);

  /// Reads one complete response. `head_request`: the response answers a HEAD,
  /// so it has no body whatever Content-Length says. Throws std::runtime_error
  /// on timeout, or when the connection closes before the response is complete.
  http_response read_response(std::chrono::milliseconds timeout = 5s, bool head_request = false);
  /// Non-throwing variant: `out` is filled only when the status is ok.
  read_status try_read_response(http_response& out, std::chrono::milliseconds timeout = 5s,
                                bool head_request = false);

  /// Reads (into buffered()) until the server closes the connection (read
  /// returns 0 or the connection is reset). False when it is still open after
  /// `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout);
  /// Whether the server has closed the connection, waiting at most `grace`
  /// (a short wait_closed). Bytes received meanwhile stay in buffered().
  bool is_closed(std::chrono::milliseconds grace = 0ms) { return wait_closed(grace); }

  /// Bytes received but not yet consumed by a parsed response.
  const std::string& buffered() const { return in_; }
  /// Reads whatever arrives within `window` into the buffer (for "nothing more
  /// was sent" checks); returns the buffer.
  const std::string& drain_for(std::chrono::milliseconds window);

  /// Half-close: no more bytes from us (the server may still answer).
  void shutdown_write();
  void close();
  int fd() const { return fd_; }

 private:
  http_connection() = default;
  // Reads once into in_, waiting until `deadline`. ok: got bytes.
  read_status fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  bool eof_ = false;
  std::string in_;
};

/// One request on a fresh connection, one response read (then the connection
/// is closed). Throws on connection or read failure.
http_response http_get(uint16_t port, std::string_view target,
                       const std::vector<std::pair<std::string, std::string>>& headers = {},
                       std::chrono::milliseconds timeout = 5s);
http_response http_exchange(uint16_t port, std::string_view raw_request,
                            std::chrono::milliseconds timeout = 5s, bool head_request = false);

/// Lower-case copy (ASCII).
std::string to_lower(std::string_view s);

} // namespace haven::test
