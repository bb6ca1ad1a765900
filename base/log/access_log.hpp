#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace haven::log {

/// The access log line written once per HTTP request.
struct access_entry {
  std::string_view request_id;
  std::string_view method;
  std::string_view route; // the route pattern, never the raw path (no ids or tokens in it)
  int status = 0;
  double duration_ms = 0;
  std::string_view remote;
};

/// The HTTP edge's access log: one JSON (or text) line per request, formatted
/// on the edge's thread straight into a 64 KiB batch (no allocation per line)
/// and handed to the writer thread when full or when flush() is called (the
/// edge does so every 250 ms), like nginx's `access_log ... buffer=64k`.
/// Under overload whole batches are dropped and counted, never waited for.
/// Owned by one thread.
class access_log {
 public:
  access_log() = default;
  ~access_log() { flush(); }
  access_log(const access_log&) = delete;
  access_log& operator=(const access_log&) = delete;

  void write(const access_entry& e);
  /// Hands over the lines written so far.
  void flush();

 private:
  void append_time();

  std::string batch_;
  size_t lines_ = 0;
  int64_t second_ = -1;
  std::string second_text_; // "2026-12-07T06:37:14." for second_
};

} // namespace haven::log
