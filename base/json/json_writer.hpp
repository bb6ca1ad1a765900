#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace haven::json {

/// Appends JSON text to a string. Small and allocation-friendly: responses on
/// the hot path are built with it (simdjson, our parser, does not write JSON).
/// The caller is responsible for structure (object/array nesting); commas are
/// inserted automatically.
class writer {
 public:
  writer() { out_.reserve(256); }

  writer& begin_object();
  writer& end_object();
  writer& begin_array();
  writer& end_array();
  writer& key(std::string_view k);

  writer& value(std::string_view s);
  writer& value(const char* s) { return value(std::string_view{s}); }
  writer& value(const std::string& s) { return value(std::string_view{s}); }
  writer& value(bool b);
  writer& value(int64_t n);
  writer& value(uint64_t n);
  writer& value(int n) { return value(static_cast<int64_t>(n)); }
  writer& value(unsigned n) { return value(static_cast<uint64_t>(n)); }
  writer& value(double d);
  writer& null();
  /// Inserts already-serialized JSON (e.g. a stored payload) verbatim.
  writer& raw(std::string_view json_text);

  template <class T>
  writer& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  const std::string& str() const& { return out_; }
  std::string str() && { return std::move(out_); }

 private:
  void separate();
  std::string out_;
  bool need_comma_ = false;
};

/// Appends `s` as a quoted JSON string, escaping control characters, quotes
/// and backslashes. `s` must already be valid UTF-8.
void append_quoted(std::string& out, std::string_view s);

} // namespace haven::json
