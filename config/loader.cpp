#include "config/loader.hpp"

#include <cstdlib>

#include "config/config_file.hpp"
#include "config/redaction.hpp"

namespace haven::config {

namespace {

constexpr size_t max_echoed_chars = 80;

// Quotes an invalid value for an error line: control characters escaped so the
// error stays one line, long values cut so a pasted blob does not flood logs.
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == max_echoed_chars) {
      out += "...";
      break;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      static constexpr char hex[] = "0123456789abcdef";
      out += std::string{"\\x"} + hex[c >> 4] + hex[c & 0xF];
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string invalid_value_error(const declaration& d, const std::string& text) {
  auto got = d.secret() ? std::string{"an invalid value"} : quoted(printable_value(d, text));
  return d.key + ": expected " + d.expects + ", got " + got;
}

load_result failure(std::string error) {
  return {std::nullopt, std::move(error)};
}

} // namespace

std::string printable_value(const declaration& d, const std::string& text) {
  switch (d.shown) {
    case exposure::secret:
      return text.empty() ? "(unset)" : std::string{masked_text};
    case exposure::masked_password:
      return mask_connection_password(text);
    case exposure::plain:
      break;
  }
  return text;
}

load_result load_settings(const env_lookup& lookup_env) {
  config_file file;
  auto file_path = lookup_env("HAVEN_CONFIG_FILE").value_or("");
  if (!file_path.empty()) {
    file = read_config_file(file_path);
    if (!file.error.empty())
      return failure(std::move(file.error));
  }
  settings values;
  for (const auto& d : declarations()) {
    std::string text;
    std::string origin; // where a file value came from, for the error line
    if (auto from_env = lookup_env(d.key)) {
      text = std::move(*from_env);
    } else if (auto it = file.values.find(d.key); it != file.values.end()) {
      text = it->second.value;
      origin = " (" + file_path + ":" + std::to_string(it->second.line) + ")";
    } else {
      text = d.computed_default ? d.computed_default(values) : d.default_text;
    }
    // Declaration order puts HAVEN_ENV first, so `values.env` is final here.
    if (d.required_in_prod && values.env == environment::prod && text.empty())
      return failure(d.key + ": required when HAVEN_ENV=prod, expected " + d.expects + origin);
    if (!d.assign(text, values))
      return failure(invalid_value_error(d, text) + origin);
  }
  return {std::move(values), {}};
}

load_result load_settings_from_environ() {
  return load_settings([](const std::string& key) -> std::optional<std::string> {
    const char* value = std::getenv(key.c_str());
    if (value == nullptr)
      return std::nullopt;
    return std::string{value};
  });
}

std::string describe_effective(const settings& values) {
  std::string out;
  for (const auto& d : declarations())
    out += d.key + "=" + printable_value(d, d.render(values)) + "\n";
  return out;
}

} // namespace haven::config
