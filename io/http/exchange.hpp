#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <caf/io/broker.hpp>
#include <caf/io/connection_handle.hpp>
#include <simdjson.h>

#include "io/http/request.hpp"
#include "io/http/response.hpp"
#include "io/http/router.hpp"

namespace haven::http {

class http_server;

/// Answers one request, now or later (when a domain actor replied). Copyable
/// and cheap; answers are written in request order per connection, so a late
/// answer to an early pipelined request holds back the ones after it. An
/// answer for a connection that closed meanwhile is dropped.
class responder {
 public:
  responder() = default;
  /// `conn_id` names the connection for the life of the process: CAF's handle
  /// is the socket's file descriptor, which the kernel hands to the next
  /// connection once this one closes, so the handle alone could deliver a late
  /// answer to a stranger.
  responder(std::weak_ptr<http_server> edge, caf::io::connection_handle conn, uint64_t conn_id,
            uint64_t seq, std::string request_id);

  void send(response r) const;
  /// Headers the answer will carry whatever it is (sent now or later), as
  /// "Name: value\r\n" lines (built once, no per-header allocation).
  void add_header_lines(std::string lines) const;
  /// Maps `err` with error_mapping.hpp's `map_error` and sends it.
  void fail(const caf::error& err) const;
  const std::string& request_id() const { return request_id_; }

 private:
  std::weak_ptr<http_server> edge_;
  caf::io::connection_handle conn_;
  uint64_t conn_id_ = 0;
  uint64_t seq_ = 0;
  std::string request_id_;
};

/// Everything a route handler sees of one request. Valid only while the
/// handler runs: copy what a deferred answer needs.
struct exchange {
  caf::io::broker* self; // for self->request(actor, timeout, msg).then(...)
  const request& req;
  const route_match& route;
  const simdjson::dom::element* json; // parsed body for routes that take JSON, else nullptr
  std::string_view remote;            // client address
  std::chrono::milliseconds timeout;  // HAVEN_REQUEST_TIMEOUT_MS, for requests to actors
  responder reply;
};

using handler = std::function<void(exchange&)>;

/// Who a route's requests count against in the rate limiter (API.md section 2),
/// declared on the route so the limiter keeps no list of paths.
enum class rate_limit : uint8_t {
  by_caller,   // the token's user; requests without a valid token by address
  by_address,  // always the client address (public routes, e.g. crisis help)
  own_throttle // not limited here: the route has its own throttle (credentials)
};

/// One route of the API: the pattern's `{name}` segments become route params.
/// `json_body` routes get Content-Type (415) and JSON/UTF-8 (400) checks and
/// the parsed body.
struct route_entry {
  method verb;
  std::string pattern;
  handler fn;
  bool json_body = false;
  /// Largest body this route takes; 0 = HAVEN_MAX_BODY_BYTES. A larger limit
  /// (an upload) applies only to requests that carry a well-formed Bearer
  /// header, so an anonymous client cannot make the node hold big bodies.
  size_t max_body_bytes = 0;
  /// Only /v1/* routes are rate limited; this says by what.
  rate_limit limit = rate_limit::by_caller;
};

} // namespace haven::http
