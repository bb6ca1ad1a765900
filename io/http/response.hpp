#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace haven::http {

/// A response before serialization. `Content-Type`, `Content-Length`,
/// `X-Request-ID`, `Date` and `Connection` are added by `serialize`.
struct response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header_lines; // more headers, already "Name: value\r\n" each
  bool close = false;       // close the connection after this response
};

/// One field issue of a 422 answer: {"field": "password", "issue": "too_short"}.
struct field_issue {
  std::string field;
  std::string issue;
};

/// The error body of API.md section 1.
std::string error_body(std::string_view code, std::string_view message, std::string_view request_id,
                       const std::vector<field_issue>& details = {});

/// A complete error response with the error body.
response error_response(int status, std::string_view code, std::string_view message,
                        std::string_view request_id, const std::vector<field_issue>& details = {});

/// A JSON response with the given status.
inline response json_response(int status, std::string body) {
  response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

const char* reason_phrase(int status);

/// Appends the HTTP/1.1 wire form of `r` to `out`. `date` is the cached
/// IMF-fixdate of the current second. HEAD answers carry no body.
void serialize(const response& r, std::string_view request_id, std::string_view date,
               bool keep_alive, bool head, std::string& out);

/// Formats an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") for `Date`.
std::string http_date(long epoch_seconds);

} // namespace haven::http
