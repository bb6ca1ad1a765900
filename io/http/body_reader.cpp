#include "io/http/body_reader.hpp"

#include "messages/errors.hpp"

namespace haven::http {

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) // count every byte that is not a continuation byte
      ++n;
  return n;
}

body_reader::body_reader(const simdjson::dom::element* root) {
  if (root == nullptr) {
    is_object_ = false;
    return; // no body: every field is missing
  }
  if (root->get_object().get(object_) == simdjson::SUCCESS)
    is_object_ = true;
  else
    add_issue("body", "invalid_type", "body: must be a JSON object");
}

void body_reader::add_issue(std::string field, std::string issue, std::string message) {
  if (issues_.empty())
    first_message_ = std::move(message);
  issues_.emplace_back(std::move(field), std::move(issue));
}

std::optional<simdjson::dom::element> body_reader::get(std::string_view field) {
  if (!is_object_)
    return std::nullopt;
  simdjson::dom::element value;
  if (object_.at_key(field).get(value) != simdjson::SUCCESS || value.is_null())
    return std::nullopt;
  return value;
}

bool body_reader::has(std::string_view field) const {
  if (!is_object_)
    return false;
  simdjson::dom::element value;
  return object_.at_key(field).get(value) == simdjson::SUCCESS && !value.is_null();
}

std::optional<std::string> body_reader::optional_string(std::string_view field, size_t max_chars) {
  auto v = get(field);
  if (!v)
    return std::nullopt;
  std::string_view s;
  if (v->get_string().get(s) != simdjson::SUCCESS) {
    add_issue(std::string{field}, "invalid_type", std::string{field} + ": must be a string");
    return std::nullopt;
  }
  if (utf8_length(s) > max_chars) {
    add_issue(std::string{field}, "too_long",
              std::string{field} + ": must be at most " + std::to_string(max_chars) +
                  " characters");
    return std::nullopt;
  }
  return std::string{s};
}

std::string body_reader::required_string(std::string_view field, size_t max_chars) {
  bool present = has(field);
  auto s = optional_string(field, max_chars);
  if (!present)
    add_issue(std::string{field}, "required", std::string{field} + ": is required");
  return s.value_or(std::string{});
}

std::optional<int64_t> body_reader::optional_int(std::string_view field, int64_t min, int64_t max) {
  auto v = get(field);
  if (!v)
    return std::nullopt;
  int64_t n = 0;
  if (v->get_int64().get(n) != simdjson::SUCCESS) {
    add_issue(std::string{field}, "invalid_type", std::string{field} + ": must be an integer");
    return std::nullopt;
  }
  if (n < min || n > max) {
    add_issue(std::string{field}, "out_of_range",
              std::string{field} + ": must be between " + std::to_string(min) + " and " +
                  std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> body_reader::optional_bool(std::string_view field) {
  auto v = get(field);
  if (!v)
    return std::nullopt;
  bool b = false;
  if (v->get_bool().get(b) != simdjson::SUCCESS) {
    add_issue(std::string{field}, "invalid_type", std::string{field} + ": must be a boolean");
    return std::nullopt;
  }
  return b;
}

std::optional<std::string> body_reader::optional_object_json(std::string_view field) {
  auto v = get(field);
  if (!v)
    return std::nullopt;
  if (!v->is_object()) {
    add_issue(std::string{field}, "invalid_type", std::string{field} + ": must be an object");
    return std::nullopt;
  }
  return simdjson::minify(*v);
}

caf::error body_reader::error() const {
  return make_validation_error(first_message_, issues_);
}

} // namespace haven::http
