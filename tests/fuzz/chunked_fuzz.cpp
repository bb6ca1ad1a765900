// libFuzzer target: the chunked decoding path of io/http/request_parser. The
// input is the bytes after a fixed chunked request head (chunk lines, data,
// last chunk, trailers, then maybe pipelined requests); the first input byte
// picks the head. Besides the split invariants of parser_harness.cpp, the
// decoded body must equal what a plain reference decoder (RFC 9112 7.1) reads,
// and a strictly well-formed body within the limit must be accepted.
// Seeds: tests/fuzz/corpus/chunked/.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "tests/fuzz/parser_harness.hpp"

namespace {

struct decoded {
  std::string body;
  bool strict = true; // only hex sizes, no extensions, token: value trailers
};

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool tchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// A lenient reader of chunked framing: a chunk line is hex digits, then
// anything up to CRLF (extensions are not checked); the message ends after the
// last chunk's trailer section (lines up to an empty line). Nothing when the
// framing itself is broken or unfinished.
std::optional<decoded> reference_decode(std::string_view in) {
  decoded out;
  size_t pos = 0;
  for (;;) {
    uint64_t size = 0;
    size_t digits = 0, zeros = 0;
    while (pos < in.size() && in[pos] == '0') { // leading zeros carry no value
      ++pos;
      ++zeros;
    }
    while (pos < in.size() && hex_value(in[pos]) >= 0) {
      if (++digits > 15)
        return std::nullopt; // beyond what any limit here allows
      size = size * 16 + static_cast<uint64_t>(hex_value(in[pos++]));
    }
    if (digits + zeros == 0)
      return std::nullopt;
    if (zeros > 8)
      out.strict = false; // a chunk line is bounded like a header line
    size_t eol = in.find("\r\n", pos);
    if (eol == std::string_view::npos)
      return std::nullopt;
    if (eol != pos)
      out.strict = false; // an extension (or junk) after the size
    pos = eol + 2;
    if (size == 0)
      break;
    if (in.size() - pos < size + 2 || in.substr(pos + size, 2) != "\r\n")
      return std::nullopt;
    out.body.append(in.substr(pos, size));
    pos += size + 2;
  }
  const size_t trailer_start = pos;
  for (;;) { // trailer section
    size_t eol = in.find("\r\n", pos);
    if (eol == std::string_view::npos)
      return std::nullopt;
    std::string_view line = in.substr(pos, eol - pos);
    pos = eol + 2;
    if (line.empty()) {
      if (pos - trailer_start > 512)
        out.strict = false; // the parser bounds trailers by its header limit (1 KiB)
      return out;
    }
    size_t colon = line.find(':');
    bool name_ok = colon != 0 && colon != std::string_view::npos;
    for (size_t i = 0; name_ok && i < colon; ++i)
      name_ok = tchar(line[i]);
    for (size_t i = colon + 1; name_ok && i < line.size(); ++i)
      name_ok = tchar(line[i]) || (line[i] == ' ' && i == colon + 1);
    if (!name_ok)
      out.strict = false;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  // Bit 0: POST /upload (2 KiB limit) or POST /v1/x (512); bit 1: Connection: close.
  const uint8_t mode = data[0];
  std::string input = (mode & 1) ? "POST /upload HTTP/1.1\r\n" : "POST /v1/x HTTP/1.1\r\n";
  input += "Host: h\r\nTransfer-Encoding: chunked\r\n";
  if (mode & 2)
    input += "Connection: close\r\n";
  input += "\r\n";
  std::string_view chunked(reinterpret_cast<const char*>(data) + 1, size - 1);
  input.append(chunked);

  auto t = haven::fuzz::run_all_splits(input, 256);

  auto ref = reference_decode(chunked);
  const size_t limit = (mode & 1) ? 2048 : 512;
  if (!t.requests.empty()) {
    // The parser finished the chunked request: the reference reads the same body.
    if (!ref || ref->body != t.bodies.front()) {
      std::fprintf(stderr, "chunked body differs from the reference decoder (%s)\n",
                   ref ? "other bytes" : "reference refused the framing");
      std::abort();
    }
  } else if (ref && ref->strict && ref->body.size() <= limit) {
    std::fprintf(stderr, "a well-formed chunked body within the limit was not accepted (%s)\n",
                 std::string(haven::http::to_string(t.error)).c_str());
    std::abort();
  }
  if (ref && ref->body.size() > limit && !t.requests.empty()) {
    std::fprintf(stderr, "a chunked body over the limit was accepted\n");
    std::abort();
  }
  return 0;
}
