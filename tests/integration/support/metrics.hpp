#pragma once

#include <cstdint>
#include <sstream>
#include <string>

#include "tests/integration/support/http_client.hpp"

namespace haven::test {

/// One sample of a node's /metrics ("name value" or "name{labels} value"),
/// -1 when absent. The page is cached for a second: poll with eventually().
inline double metric(uint16_t port, const std::string& series) {
  auto r = http_get(port, "/metrics");
  std::istringstream in(r.body);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(series + " ", 0) == 0)
      return std::stod(line.substr(series.size() + 1));
  return -1;
}

} // namespace haven::test
