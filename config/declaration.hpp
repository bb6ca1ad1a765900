#pragma once

// One row of the settings table (declarations.cpp). Modelled on Redpanda's
// config::property: every key is declared once with its description, default,
// bounds and validator, and the loader, `haven config check`, the docs and the
// tests all read this same table instead of repeating any of it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"

namespace haven::config {

/// How a value may be shown in `describe_effective` and in error lines.
enum class exposure : uint8_t {
  plain,           // printed as is
  masked_password, // a connection string: only its password is masked
  secret,          // never printed: "********", or "(unset)" when empty
};

struct declaration {
  std::string key;          // environment / file key, e.g. HAVEN_RATE_LIMIT_FREE
  std::string description;  // one sentence for the docs
  std::string default_text; // the default as text ("" = empty), or how it is computed
  std::string expects;      // what a valid value is, e.g. "an integer in 1..10000000"
  exposure shown = exposure::plain;
  /// Set: an empty value stops start-up when HAVEN_ENV=prod.
  bool required_in_prod = false;

  /// Parses, validates and stores `text` into `out`; false when it is invalid
  /// (`out` is then unspecified and must be dropped).
  bool (*assign)(std::string_view text, settings& out) = nullptr;
  /// The current value as text, unmasked (callers mask by `shown`).
  std::string (*render)(const settings& in) = nullptr;
  /// For defaults that depend on other keys or the host: computes the default
  /// text from the settings assigned so far (keys declared earlier). When null,
  /// `default_text` is the default.
  std::string (*computed_default)(const settings& so_far) = nullptr;

  bool secret() const { return shown == exposure::secret; }
};

/// Every setting in declaration order. HAVEN_ENV comes first because other
/// defaults and requirements depend on it.
const std::vector<declaration>& declarations();

/// The declaration for `key`, or null when the key is not declared.
const declaration* find_declaration(std::string_view key);

} // namespace haven::config
