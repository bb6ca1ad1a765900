#include "io/http/response.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

#include "base/json/json_writer.hpp"

namespace haven::http {

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

std::string error_body(std::string_view code, std::string_view message, std::string_view request_id,
                       const std::vector<field_issue>& details) {
  json::writer w;
  w.begin_object().key("error").begin_object();
  w.field("code", code).field("message", message).field("request_id", request_id);
  if (!details.empty()) {
    w.key("details").begin_array();
    for (auto& d : details)
      w.begin_object().field("field", d.field).field("issue", d.issue).end_object();
    w.end_array();
  }
  w.end_object().end_object();
  return std::move(w).str();
}

response error_response(int status, std::string_view code, std::string_view message,
                        std::string_view request_id, const std::vector<field_issue>& details) {
  return json_response(status, error_body(code, message, request_id, details));
}

void serialize(const response& r, std::string_view request_id, std::string_view date,
               bool keep_alive, bool head, std::string& out) {
  char num[24];
  out += "HTTP/1.1 ";
  out.append(num, static_cast<size_t>(std::to_chars(num, num + sizeof(num), r.status).ptr - num));
  out += ' ';
  out += reason_phrase(r.status);
  out += "\r\nDate: ";
  out.append(date);
  out += "\r\nX-Request-ID: ";
  out.append(request_id);
  out += "\r\n";
  bool no_body = r.status == 204 || r.status == 304;
  if (!no_body) {
    if (!r.content_type.empty()) {
      out += "Content-Type: ";
      out += r.content_type;
      out += "\r\n";
    }
    out += "Content-Length: ";
    out.append(num,
               static_cast<size_t>(std::to_chars(num, num + sizeof(num), r.body.size()).ptr - num));
    out += "\r\n";
  }
  for (auto& [name, value] : r.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += r.header_lines;
  if (!keep_alive || r.close)
    out += "Connection: close\r\n";
  out += "\r\n";
  if (!head && !no_body)
    out += r.body;
}

std::string http_date(long epoch_seconds) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = epoch_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  auto n = std::snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
                         tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                         tm.tm_sec);
  return std::string(buf, static_cast<size_t>(n));
}

} // namespace haven::http
