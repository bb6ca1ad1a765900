#include "io/log/log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "config/settings.hpp"
#include "io/json/json_writer.hpp"

namespace haven::log {

namespace {

struct logger_state {
  std::shared_ptr<spdlog::logger> logger;
  level min_level = level::info;
  bool json = false;
  std::string node_id;
};

// The process logger. Written once at start-up before any actor runs, read-only after.
logger_state& state() {
  static logger_state s;
  return s;
}

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
    json::append_quoted(out, st.node_id);
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

void install(const config::settings& cfg, std::shared_ptr<spdlog::sinks::sink> sink) {
  auto& st = state();
  st.min_level = parse_level(cfg.log_level);
  st.json = cfg.log_fmt == config::log_format::json;
  st.node_id = cfg.node_id;
  if (spdlog::thread_pool() == nullptr)
    spdlog::init_thread_pool(2048, 1);
  // Blocking when the queue is full keeps every line; the queue is large enough
  // that it only happens when the sink itself cannot keep up.
  st.logger = std::make_shared<spdlog::async_logger>(
      "haven", std::move(sink), spdlog::thread_pool(), spdlog::async_overflow_policy::block);
  st.logger->set_pattern("%v");
  st.logger->set_level(spdlog::level::trace);
  st.logger->flush_on(spdlog::level::warn);
}

} // namespace

void init(const config::settings& cfg) {
  install(cfg, std::make_shared<spdlog::sinks::stderr_sink_mt>());
}

void init_to_file(const config::settings& cfg, const std::string& path) {
  install(cfg, std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, true));
}

bool enabled(level lvl) {
  auto& st = state();
  return st.logger != nullptr && lvl >= st.min_level && lvl != level::off;
}

void write(level lvl, std::string_view message, std::initializer_list<field> fields) {
  if (!enabled(lvl)) {
    if (lvl >= level::warn && state().logger == nullptr) // before init: still say it
      std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
    return;
  }
  state().logger->info(format_line(lvl, message, fields));
}

void access(const access_entry& e) {
  if (!enabled(level::info))
    return;
  char status[8];
  char duration[32];
  std::snprintf(status, sizeof(status), "%d", e.status);
  std::snprintf(duration, sizeof(duration), "%.3f", e.duration_ms);
  write(level::info, "request",
        {{"request_id", e.request_id},
         {"method", e.method},
         {"route", e.route},
         {"status", status, false},
         {"duration_ms", duration, false},
         {"remote", e.remote}});
}

void shutdown() {
  if (auto& lg = state().logger) {
    lg->flush();
  }
  spdlog::shutdown();
  state().logger.reset();
}

} // namespace haven::log
