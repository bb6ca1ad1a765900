#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "io/http/request.hpp"

namespace haven::http {

/// Path parameters of a matched route, e.g. {"id", "…"} for "/v1/crisis/events/{id}/ack".
/// The views point into the request path and the router's patterns.
using path_params = std::vector<std::pair<std::string_view, std::string_view>>;

struct route_match {
  enum kind_t : uint8_t { found, not_found, method_not_allowed };
  kind_t kind = not_found;
  size_t handler = 0;       // the id given to add()
  std::string_view pattern; // the route pattern: a low-cardinality label for logs and metrics
  path_params params;
  std::string allow; // for method_not_allowed: "GET, HEAD"
  std::string_view param(std::string_view name) const;
};

/// Maps (method, path) to a handler id. Patterns are literal segments and
/// `{name}` parameters, one per segment. Literal-only paths are found with one
/// hash lookup (the hot routes); parameterized ones by a segment-wise scan.
/// HEAD matches GET routes.
class router {
 public:
  void add(method m, std::string pattern, size_t handler);
  route_match match(method m, std::string_view path) const;

 private:
  struct route {
    std::string pattern;
    std::vector<std::string_view> segments; // views into pattern
    std::vector<std::pair<method, size_t>> handlers;
  };
  route* find_or_add(const std::string& pattern);
  static route_match resolve(const route& r, method m);
  std::vector<std::unique_ptr<route>> routes_;
  std::unordered_map<std::string_view, const route*> literal_;
};

const char* to_string(method m);

} // namespace haven::http
