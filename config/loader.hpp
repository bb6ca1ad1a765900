#pragma once

// Builds `settings` from the environment and the optional HAVEN_CONFIG_FILE,
// using the declarations table for defaults, validation and masking.
// Pure apart from reading the file: no CAF, no logging, safe to call in tests.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/declaration.hpp"
#include "config/settings.hpp"

namespace haven::config {

struct load_result {
  std::optional<settings> value; // set on success
  std::string error;             // on failure: one line naming the key and what it expects
};

/// Looks a variable up; nothing when it is not set (set-but-empty is a value).
using env_lookup = std::function<std::optional<std::string>(const std::string&)>;

/// Per declared key, in declaration order: the environment wins over the file,
/// the file over the default. Stops at the first invalid value. Unknown HAVEN_*
/// environment variables are ignored (other tools may set some); unknown keys
/// in the file are errors. Secret values never appear in `error`.
load_result load_settings(const env_lookup& lookup_env);

/// `load_settings` over the process environment (::getenv).
load_result load_settings_from_environ();

/// One `KEY=value` line per declared key, in declaration order, with secrets
/// shown as ******** (or "(unset)") and passwords in connection strings masked.
/// What `haven config check` prints.
std::string describe_effective(const settings& values);

/// `text` as it may appear in logs for this key: masked per `d.shown`.
std::string printable_value(const declaration& d, const std::string& text);

} // namespace haven::config
