#pragma once

// The process logger's state, shared by log.cpp and access_log.cpp only (not
// part of the logging interface).

#include <atomic>
#include <string>

#include "base/log/line_writer.hpp"
#include "base/log/log.hpp"

namespace haven::log {

struct logger_state {
  // Set by init() before any actor runs, cleared by shutdown() after they all
  // stopped; atomic so a late line racing shutdown sees null, not a freed writer.
  std::atomic<line_writer*> writer{nullptr};
  level min_level = level::info;
  bool json = false;
  std::string node_id;
  std::string node_id_json; // node_id as a quoted, escaped JSON string
};

logger_state& state();

} // namespace haven::log
