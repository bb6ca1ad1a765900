#pragma once

// Incremental HTTP/1.1 request parser for one connection (Boost.Beast's
// basic_parser underneath, kept out of this header because it is heavy).
//
// Usage per connection: feed() every chunk read from the socket, then call
// next() until it stops returning complete; each complete request is answered
// in order. After error() the connection must be closed.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "io/http/request.hpp"

namespace haven::http {

struct parser_limits {
  size_t max_header_bytes = 16 * 1024; // request line + headers
  size_t max_body_bytes = 64 * 1024;
  /// Optional override per request (e.g. 4 MiB for an authenticated upload),
  /// applied once the header is parsed (path and headers are there). Returning
  /// 0 means "no override": max_body_bytes.
  std::function<size_t(const request& head)> body_limit_for;
};

enum class parse_status { need_more, complete, error };

/// Suggested answers: headers_too_large 431, body_too_large 413,
/// bad_request 400, length_required 411, unsupported_version 505.
enum class parse_error : uint8_t {
  none,
  headers_too_large,
  body_too_large,
  bad_request,
  length_required, // reserved: chunked bodies are accepted, so never produced
  unsupported_version,
};

/// Stable lower-case name for logs and metrics ("headers_too_large", ...).
std::string_view to_string(parse_error e);

class request_parser {
 public:
  explicit request_parser(parser_limits limits);
  ~request_parser();
  request_parser(request_parser&&) noexcept;
  request_parser& operator=(request_parser&&) noexcept;
  request_parser(const request_parser&) = delete;
  request_parser& operator=(const request_parser&) = delete;

  /// Appends bytes read from the socket to the connection's internal buffer.
  void feed(const char* data, size_t size);

  /// Parses from the buffered bytes. Returns complete (and fills `out`) when one
  /// whole request is there; call again for pipelined requests that follow.
  /// `out` is overwritten; its string capacities are reused for later requests.
  parse_status next(request& out);

  parse_error error() const; // valid after next() returned error

  /// The unfinished request as parsed so far. After body_too_large its request
  /// line and headers are complete (the error needs them: X-Request-ID, route).
  const request& partial() const;

  /// Some bytes of an unfinished request are buffered (for the header timeout).
  bool in_progress() const;

  size_t buffered() const;

  /// True once per request when an HTTP/1.1 client sent `Expect: 100-continue`
  /// and the body has not fully arrived: the caller should then write
  /// "HTTP/1.1 100 Continue\r\n\r\n" (curl waits ~1 s for it on large uploads).
  bool take_expect_continue();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace haven::http
