#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace haven::http {

enum class method : uint8_t { get, head, post, put, patch, delete_, options, other };

/// ASCII case-insensitive equality (header names, auth schemes): no locale.
inline bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = static_cast<char>(y - 'A' + 'a');
    if (x != y)
      return false;
  }
  return true;
}

/// One parsed HTTP/1.x request, as produced by request_parser.
struct request {
  http::method verb = method::other;
  std::string method_text; // as sent
  std::string target;      // raw request-target
  std::string path;        // target up to '?', percent-decoding NOT applied
  std::string query;       // after '?', without it
  std::vector<std::pair<std::string, std::string>> headers; // names lower-cased, in order
  std::string body;                                         // de-chunked
  bool keep_alive = true; // HTTP/1.1 default true, Connection: close -> false;
                          // HTTP/1.0 false unless keep-alive
  unsigned version = 11;

  /// Content-Length > 0 or chunked (read from the headers, so it also works on
  /// hand-built requests).
  bool has_body() const {
    if (header("transfer-encoding") != nullptr)
      return true; // the parser only accepts "chunked"
    const std::string* length = header("content-length");
    // The parser validated the digits (maybe a "5, 5" list): any non-zero digit means > 0.
    return length != nullptr && length->find_first_of("123456789") != std::string::npos;
  }

  /// First header with this name or nullptr. Names are compared ASCII
  /// case-insensitively, though stored names are already lower-case.
  const std::string* header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers)
      if (iequals_ascii(name, lower_name))
        return &value;
    return nullptr;
  }

  /// Raw (not percent-decoded) value of the first `name=value` pair in the
  /// query; "" when absent or without '='. Points into `query`.
  std::string_view query_param(std::string_view name) const {
    std::string_view rest = query;
    while (!rest.empty()) {
      size_t amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
      size_t eq = pair.find('=');
      if (pair.substr(0, eq) == name)
        return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    }
    return {};
  }
};

} // namespace haven::http
