#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <simdjson.h>

namespace haven::http {

/// Reads the fields of a JSON request body and collects every rule it breaks
/// (missing, wrong type, too long), so one 422 answer can list them all in
/// `details` (API.md section 1). A missing body reads as an empty object; a
/// body that is not an object is one issue on the field "body".
class body_reader {
 public:
  explicit body_reader(const simdjson::dom::element* root);

  std::optional<std::string> optional_string(std::string_view field, size_t max_chars = 4096);
  std::string required_string(std::string_view field, size_t max_chars = 4096);
  std::optional<int64_t> optional_int(std::string_view field, int64_t min, int64_t max);
  std::optional<bool> optional_bool(std::string_view field);
  /// The raw JSON text of an optional object field (e.g. a sync payload).
  std::optional<std::string> optional_object_json(std::string_view field);
  bool has(std::string_view field) const;

  /// Adds an issue found by the caller's own rules ("too_short", "invalid", …).
  void add_issue(std::string field, std::string issue, std::string message);

  bool ok() const { return issues_.empty(); }
  /// errc::validation_failed whose message names the first issue and whose
  /// details list all of them.
  caf::error error() const;

 private:
  std::optional<simdjson::dom::element> get(std::string_view field);
  simdjson::dom::object object_;
  bool is_object_ = false;
  std::vector<std::pair<std::string, std::string>> issues_;
  std::string first_message_;
};

/// Number of Unicode code points of valid UTF-8 text.
size_t utf8_length(std::string_view s);

} // namespace haven::http
