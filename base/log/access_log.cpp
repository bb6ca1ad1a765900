#include "base/log/access_log.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "base/json/json_writer.hpp"
#include "base/log/log_state.hpp"

namespace haven::log {

namespace {

constexpr size_t batch_bytes = 64 * 1024;

template <class Number, class... Format>
void append_number(std::string& out, Number n, Format... format) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, n, format...);
  out.append(buf, static_cast<size_t>(res.ptr - buf));
}

} // namespace

void access_log::append_time() {
  // The date and time change once a second: formatted then, not per line.
  auto now = std::chrono::system_clock::now();
  auto ms_total =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  int64_t secs = ms_total / 1000;
  if (secs != second_) {
    second_ = secs;
    std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    auto n = std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    second_text_.assign(buf, static_cast<size_t>(n));
  }
  batch_ += second_text_;
  auto ms = static_cast<int>(ms_total % 1000);
  batch_ += static_cast<char>('0' + ms / 100);
  batch_ += static_cast<char>('0' + ms / 10 % 10);
  batch_ += static_cast<char>('0' + ms % 10);
  batch_ += 'Z';
}

void access_log::write(const access_entry& e) {
  if (!enabled(level::info))
    return;
  if (batch_.capacity() < batch_bytes)
    batch_.reserve(batch_bytes + 4096);
  const auto& st = state();
  // The same fields, in the same order, as log::info("request", {...}) wrote.
  if (st.json) {
    batch_ += "{\"time\":\"";
    append_time();
    batch_ += "\",\"level\":\"info\",\"msg\":\"request\",\"node\":";
    batch_ += st.node_id_json;
    batch_ += ",\"request_id\":";
    json::append_quoted(batch_, e.request_id);
    batch_ += ",\"method\":";
    json::append_quoted(batch_, e.method);
    batch_ += ",\"route\":";
    json::append_quoted(batch_, e.route);
    batch_ += ",\"status\":";
    append_number(batch_, e.status);
    batch_ += ",\"duration_ms\":";
    append_number(batch_, e.duration_ms, std::chars_format::fixed, 3);
    batch_ += ",\"remote\":";
    json::append_quoted(batch_, e.remote);
    batch_ += "}\n";
  } else {
    append_time();
    batch_ += " info request request_id=";
    batch_.append(e.request_id);
    batch_ += " method=";
    batch_.append(e.method);
    batch_ += " route=";
    batch_.append(e.route);
    batch_ += " status=";
    append_number(batch_, e.status);
    batch_ += " duration_ms=";
    append_number(batch_, e.duration_ms, std::chars_format::fixed, 3);
    batch_ += " remote=";
    batch_.append(e.remote);
    batch_ += '\n';
  }
  ++lines_;
  if (batch_.size() >= batch_bytes)
    flush();
}

void access_log::flush() {
  if (lines_ == 0)
    return;
  auto* writer = state().writer.load(std::memory_order_acquire);
  if (writer == nullptr) {
    batch_.clear();
  } else {
    batch_ = writer->hand_over(std::move(batch_), lines_, true);
  }
  lines_ = 0;
}

} // namespace haven::log
