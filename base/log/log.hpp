#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

/// Structured logging: one JSON object per line
/// (HAVEN_LOG_FORMAT=json) or readable text. Callers pass a message and a few
/// named fields; nothing here ever receives a body, token or password, and the
/// field names say what is logged.
namespace haven::log {

enum class level : uint8_t { trace, debug, info, warn, error, off };

/// One named value of a log line. Numbers are passed pre-formatted by the helpers.
struct field {
  std::string_view name;
  std::string_view value;
  bool quoted = true; // false for numbers and booleans (JSON output)
};

/// What the logger needs from the configuration (config::log_options builds
/// it from HAVEN_LOG_LEVEL, HAVEN_LOG_FORMAT and HAVEN_NODE_ID).
struct options {
  std::string level = "info"; // trace|debug|info|warn|error|off
  bool json = false;          // one JSON object per line, else text
  std::string node_id;
};

/// Creates the process logger: lines go to stderr through one writer thread
/// (line_writer.hpp), so a slow terminal never stalls a caller. Safe to call
/// again: the last call wins.
void init(const options& opts);

/// Tests and tools: log to a given file instead of stderr.
void init_to_file(const options& opts, const std::string& path);

bool enabled(level lvl);

void write(level lvl, std::string_view message, std::initializer_list<field> fields = {});

inline void debug(std::string_view m, std::initializer_list<field> f = {}) {
  write(level::debug, m, f);
}
inline void info(std::string_view m, std::initializer_list<field> f = {}) {
  write(level::info, m, f);
}
inline void warn(std::string_view m, std::initializer_list<field> f = {}) {
  write(level::warn, m, f);
}
inline void error(std::string_view m, std::initializer_list<field> f = {}) {
  write(level::error, m, f);
}

/// Lines dropped because the output could not keep up (access lines first;
/// see line_writer.hpp). Reported in /metrics.
uint64_t dropped_lines();

/// Writes what waits and stops the writer thread (at shutdown).
void shutdown();

} // namespace haven::log
