#pragma once

#include "base/log/log.hpp"
#include "config/settings.hpp"

namespace haven::config {

/// The logger's options from HAVEN_LOG_LEVEL, HAVEN_LOG_FORMAT and HAVEN_NODE_ID.
inline log::options log_options(const settings& cfg) {
  return {cfg.log_level, cfg.log_fmt == log_format::json, cfg.node_id};
}

} // namespace haven::config
