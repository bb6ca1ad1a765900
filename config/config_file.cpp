#include "config/config_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/declaration.hpp"

namespace haven::config {

namespace {

std::string_view trim(std::string_view text) {
  constexpr std::string_view blanks = " \t\r";
  auto begin = text.find_first_not_of(blanks);
  if (begin == std::string_view::npos)
    return {};
  return text.substr(begin, text.find_last_not_of(blanks) - begin + 1);
}

std::string_view unquote(std::string_view value) {
  bool quoted = value.size() >= 2 && (value.front() == '"' || value.front() == '\'')
                && value.back() == value.front();
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
    auto [_, inserted] = out.values.emplace(std::string{key}, file_value{std::string{value}, number});
    if (!inserted) {
      out.error = where + std::string{key} + " is set twice";
      return out;
    }
  }
  return out;
}

config_file read_config_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) {
    config_file out;
    out.error = "HAVEN_CONFIG_FILE: cannot open \"" + path + "\": " + std::strerror(errno);
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    config_file out;
    out.error = "HAVEN_CONFIG_FILE: cannot read \"" + path + "\"";
    return out;
  }
  return parse_config_file(text.str(), path);
}

} // namespace haven::config
