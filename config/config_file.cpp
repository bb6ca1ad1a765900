#include "config/config_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "base/text.hpp"
#include "config/declaration.hpp"

namespace haven::config {

namespace {

// Far above any real config; stops a mistaken path like /dev/zero early.
constexpr size_t max_file_bytes = 1 << 20;

std::string_view unquote(std::string_view value) {
  bool quoted = value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
                value.back() == value.front();
  return quoted ? value.substr(1, value.size() - 2) : value;
}

} // namespace

config_file parse_config_file(std::string_view text, const std::string& path) {
  config_file out;
  int number = 0;
  while (!text.empty()) {
    ++number;
    auto newline = text.find('\n');
    auto line = trim(text.substr(0, newline));
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (line.empty() || line.front() == '#')
      continue;
    auto where = path + ":" + std::to_string(number) + ": ";
    auto equals = line.find('=');
    if (equals == std::string_view::npos) {
      // Do not echo the line: it might be a secret missing its key.
      out.error = where + "expected KEY=VALUE";
      return out;
    }
    auto key = trim(line.substr(0, equals));
    if (find_declaration(key) == nullptr) {
      out.error = where + "unknown key \"" + std::string{key.substr(0, 64)} + "\"";
      return out;
    }
    auto value = unquote(trim(line.substr(equals + 1)));
    auto [_, inserted] =
        out.values.emplace(std::string{key}, file_value{std::string{value}, number});
    if (!inserted) {
      out.error = where + std::string{key} + " is set twice";
      return out;
    }
  }
  return out;
}

config_file read_config_file(const std::string& path) {
  config_file out;
  auto fail = [&](const char* what) {
    out.error = "HAVEN_CONFIG_FILE: cannot " + std::string{what} + " \"" + path +
                "\": " + std::strerror(errno);
    return out;
  };
  // stdio rather than ifstream: reading a directory must fail (EISDIR), not
  // quietly yield an empty file.
  std::unique_ptr<FILE, int (*)(FILE*)> file{std::fopen(path.c_str(), "rb"), &std::fclose};
  if (!file)
    return fail("open");
  std::string text;
  char buffer[4096];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) {
    text.append(buffer, got);
    if (text.size() > max_file_bytes) {
      errno = EFBIG;
      return fail("read");
    }
  }
  if (std::ferror(file.get()))
    return fail("read");
  return parse_config_file(text, path);
}

} // namespace haven::config
