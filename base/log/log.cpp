#include "base/log/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>

#include <fcntl.h>
#include <unistd.h>

#include "base/json/json_writer.hpp"
#include "base/log/line_writer.hpp"
#include "base/log/log_state.hpp"

namespace haven::log {

namespace {

level parse_level(const std::string& s) {
  if (s == "trace")
    return level::trace;
  if (s == "debug")
    return level::debug;
  if (s == "warn")
    return level::warn;
  if (s == "error")
    return level::error;
  if (s == "off")
    return level::off;
  return level::info;
}

const char* level_name(level l) {
  static constexpr const char* names[] = {"trace", "debug", "info", "warn", "error", "off"};
  return names[static_cast<int>(l)];
}

// RFC 3339 with milliseconds, UTC.
void append_time(std::string& out) {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  auto n = std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                         static_cast<int>(ms));
  out.append(buf, static_cast<size_t>(n));
}

std::string format_line(level lvl, std::string_view message, std::initializer_list<field> fields) {
  auto& st = state();
  std::string out;
  out.reserve(160);
  if (st.json) {
    out += "{\"time\":\"";
    append_time(out);
    out += "\",\"level\":\"";
    out += level_name(lvl);
    out += "\",\"msg\":";
    json::append_quoted(out, message);
    out += ",\"node\":";
    out += st.node_id_json;
    for (auto& f : fields) {
      out += ',';
      json::append_quoted(out, f.name);
      out += ':';
      if (f.quoted)
        json::append_quoted(out, f.value);
      else
        out.append(f.value);
    }
    out += '}';
  } else {
    append_time(out);
    out += ' ';
    out += level_name(lvl);
    out += ' ';
    out.append(message);
    for (auto& f : fields) {
      out += ' ';
      out.append(f.name);
      out += '=';
      out.append(f.value);
    }
  }
  return out;
}

void install(const options& opts, std::unique_ptr<line_writer> writer) {
  auto& st = state();
  delete st.writer.exchange(nullptr); // writes what the previous one held
  st.min_level = parse_level(opts.level);
  st.json = opts.json;
  st.node_id = opts.node_id;
  st.node_id_json.clear();
  json::append_quoted(st.node_id_json, st.node_id);
  st.writer.store(writer.release());
}

} // namespace

void init(const options& opts) {
  install(opts, std::make_unique<line_writer>(STDERR_FILENO, false));
}

void init_to_file(const options& opts, const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    init(opts);
    return;
  }
  install(opts, std::make_unique<line_writer>(fd, true));
}

logger_state& state() {
  static logger_state s;
  return s;
}

bool enabled(level lvl) {
  auto& st = state();
  return st.writer.load(std::memory_order_relaxed) != nullptr && lvl >= st.min_level &&
         lvl != level::off;
}

uint64_t dropped_lines() {
  auto* w = state().writer.load(std::memory_order_relaxed);
  return w != nullptr ? w->dropped_lines() : 0;
}

void write(level lvl, std::string_view message, std::initializer_list<field> fields) {
  if (!enabled(lvl)) {
    if (lvl >= level::warn && state().writer.load() == nullptr) // before init: still say it
      std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
    return;
  }
  auto line = format_line(lvl, message, fields);
  line += '\n';
  if (auto* w = state().writer.load(std::memory_order_acquire))
    w->submit(std::move(line), 1, false);
}

void shutdown() {
  delete state().writer.exchange(nullptr); // writes what waits, then stops its thread
}

} // namespace haven::log
