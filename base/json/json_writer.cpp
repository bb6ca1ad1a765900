#include "base/json/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace haven::json {

namespace {

// Bytes that need an escape: control characters, '"' and '\\'.
constexpr std::array<bool, 256> needs_escape_table() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c)
    t[c] = true;
  t['"'] = t['\\'] = true;
  return t;
}
constexpr auto needs_escape = needs_escape_table();

template <class T>
void append_number(std::string& out, T n) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof(buf), n); // shortest exact form, no locale
  out.append(buf, static_cast<size_t>(res.ptr - buf));
}

} // namespace

void append_quoted(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0; // start of the current run of bytes that need no escaping
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!needs_escape[c])
      continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xf]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void writer::separate() {
  if (need_comma_)
    out_.push_back(',');
  need_comma_ = true;
}

writer& writer::begin_object() {
  separate();
  out_.push_back('{');
  need_comma_ = false;
  return *this;
}

writer& writer::end_object() {
  out_.push_back('}');
  need_comma_ = true;
  return *this;
}

writer& writer::begin_array() {
  separate();
  out_.push_back('[');
  need_comma_ = false;
  return *this;
}

writer& writer::end_array() {
  out_.push_back(']');
  need_comma_ = true;
  return *this;
}

writer& writer::key(std::string_view k) {
  separate();
  append_quoted(out_, k);
  out_.push_back(':');
  need_comma_ = false; // the value that follows needs no comma
  return *this;
}

writer& writer::value(std::string_view s) {
  separate();
  append_quoted(out_, s);
  return *this;
}

writer& writer::value(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}

writer& writer::value(int64_t n) {
  separate();
  append_number(out_, n);
  return *this;
}

writer& writer::value(uint64_t n) {
  separate();
  append_number(out_, n);
  return *this;
}

writer& writer::value(double d) {
  separate();
  if (!std::isfinite(d)) { // JSON has no NaN or infinity
    out_ += "null";
    return *this;
  }
  append_number(out_, d);
  return *this;
}

writer& writer::null() {
  separate();
  out_ += "null";
  return *this;
}

writer& writer::raw(std::string_view json_text) {
  separate();
  out_.append(json_text);
  return *this;
}

} // namespace haven::json
