#pragma once

// The optional file named by HAVEN_CONFIG_FILE: the same keys as the
// environment, one `KEY=VALUE` a line. Unlike the environment (shared with
// other tools) the file belongs to Haven, so an unknown key is an error.

#include <map>
#include <string>
#include <string_view>

namespace haven::config {

struct file_value {
  std::string value;
  int line = 0;
};

struct config_file {
  std::map<std::string, file_value, std::less<>> values; // by key
  std::string error; // one line naming path and line number; empty on success
};

/// Parses file text: blank lines and lines starting with '#' are skipped, keys
/// must be declared and appear once, a value may be wrapped in "" or ''.
/// `path` only labels error lines. Values are never echoed in errors.
config_file parse_config_file(std::string_view text, const std::string& path);

/// Reads and parses the file at `path`.
config_file read_config_file(const std::string& path);

} // namespace haven::config
