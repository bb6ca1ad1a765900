#include "io/http/request_parser.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

namespace haven::http {

namespace {

namespace bhttp = boost::beast::http;
using boost::beast::error_code;
using beast_string_view = boost::beast::string_view;

// Buffer housekeeping: compact once this much has been consumed (and it is at
// least half the buffer), so erasing is amortised O(1) per byte.
constexpr size_t compact_after_bytes = 4096;
// Capacity kept between requests; anything bigger (e.g. after an upload) is released.
constexpr size_t kept_capacity_bytes = 256 * 1024;

char to_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return to_lower(x) == to_lower(y);
         });
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

method to_method(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get:
      return method::get;
    case bhttp::verb::head:
      return method::head;
    case bhttp::verb::post:
      return method::post;
    case bhttp::verb::put:
      return method::put;
    case bhttp::verb::patch:
      return method::patch;
    case bhttp::verb::delete_:
      return method::delete_;
    case bhttp::verb::options:
      return method::options;
    default:
      return method::other;
  }
}

// Fills path and query from target. An absolute-form target
// ("http://host/p?q", RFC 9112 3.2.2) is routed on its path part.
void split_target(request& req) {
  std::string_view t = req.target;
  size_t scheme_end = std::string_view::npos;
  if (starts_with_icase(t, "http://"))
    scheme_end = 7;
  else if (starts_with_icase(t, "https://"))
    scheme_end = 8;
  if (scheme_end != std::string_view::npos) {
    size_t path_start = t.find_first_of("/?", scheme_end);
    t = path_start == std::string_view::npos ? std::string_view{} : t.substr(path_start);
  }
  size_t q = t.find('?');
  std::string_view path = t.substr(0, q);
  if (path.empty() && scheme_end != std::string_view::npos)
    path = "/";
  req.path.assign(path.data(), path.size());
  if (q == std::string_view::npos)
    req.query.clear();
  else
    req.query.assign(t.data() + q + 1, t.size() - q - 1);
}

// Clears a request for the next message but keeps (reasonably sized) capacity.
void reset_keeping_capacity(request& req) {
  req.verb = method::other;
  req.method_text.clear();
  req.target.clear();
  req.path.clear();
  req.query.clear();
  req.headers.clear();
  if (req.body.capacity() > kept_capacity_bytes)
    std::string().swap(req.body);
  else
    req.body.clear();
  req.keep_alive = true;
  req.version = 11;
}

// "METHOD SP target SP HTTP/d.d" with a version other than 1.0/1.1: Beast
// reports that as bad_version, like any malformed version, so tell them apart.
// A bare CR or another control character anywhere in the line makes it
// malformed (400), never "unsupported version" (505).
bool is_other_http_version(std::string_view request_line) {
  size_t end = request_line.find("\r\n");
  if (end == std::string_view::npos)
    return false;
  request_line = request_line.substr(0, end);
  if (std::any_of(request_line.begin(), request_line.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return false;
  size_t sp = request_line.find(' ');
  if (sp == std::string_view::npos)
    return false;
  sp = request_line.find(' ', sp + 1);
  if (sp == std::string_view::npos || sp != request_line.rfind(' '))
    return false; // not exactly three parts
  std::string_view v = request_line.substr(sp + 1);
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return v.size() == 8 && v.substr(0, 5) == "HTTP/" && digit(v[5]) && v[6] == '.' && digit(v[7]);
}

// No line end yet and nothing that already breaks the line (a CR may only be
// the last byte, the first half of CRLF).
bool line_unfinished(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 || c == 0x7f) && !(c == '\r' && i + 1 == s.size()))
      return false;
  }
  return true;
}

// Beast's callback parser writing straight into our request (no beast::fields
// container in between). Beast parsers are single-use: one per message.
class message_parser final : public bhttp::basic_parser<true> {
 public:
  message_parser(request& req, const parser_limits& limits) : req_(req), limits_(limits) {
    // The real limit depends on the path, so it is set in on_header_impl.
    // (Not boost::none: Beast 1.74 compares Content-Length against it as an optional.)
    body_limit(std::numeric_limits<std::uint64_t>::max());
  }

  parse_error rejected = parse_error::none; // set when a callback refuses the request
  bool expect_continue = false;

 private:
  void reject(parse_error why, error_code& ec) {
    rejected = why;
    ec = bhttp::error::bad_value; // any error stops Beast; `rejected` says which
  }

  void on_request_impl(bhttp::verb v, beast_string_view method_text, beast_string_view target,
                       int version, error_code&) override {
    req_.verb = to_method(v);
    req_.method_text.assign(method_text.data(), method_text.size());
    req_.target.assign(target.data(), target.size());
    req_.version = static_cast<unsigned>(version);
    split_target(req_);
  }

  void on_response_impl(int, beast_string_view, int, error_code&) override {}

  void on_field_impl(bhttp::field f, beast_string_view name, beast_string_view value,
                     error_code& ec) override {
    if (is_header_done())
      return; // chunked trailers are not merged into the headers (RFC 9110 6.5.1)
    // Beast only frames by chunked when it is the last coding and otherwise
    // ignores the field; a body we cannot delimit or decode is refused
    // (RFC 9112 6.1/6.3), as is Transfer-Encoding in HTTP/1.0.
    if (f == bhttp::field::transfer_encoding &&
        (req_.version < 11 || !iequals({value.data(), value.size()}, "chunked")))
      return reject(parse_error::bad_request, ec);
    if (f == bhttp::field::expect && iequals({value.data(), value.size()}, "100-continue"))
      expect_continue = true;
    auto& [lower_name, field_value] = req_.headers.emplace_back();
    lower_name.resize(name.size());
    std::transform(name.begin(), name.end(), lower_name.begin(), to_lower);
    field_value.assign(value.data(), value.size());
  }

  void on_header_impl(error_code& ec) override {
    req_.keep_alive = keep_alive();
    expect_continue = expect_continue && req_.version >= 11 && !is_done();
    if (is_done())
      return; // no body
    uint64_t limit = limits_.max_body_bytes;
    if (limits_.body_limit_for) {
      if (size_t per_path = limits_.body_limit_for(req_); per_path != 0)
        limit = per_path;
    }
    // Refuse before a single body byte arrives; chunked bodies are counted by Beast.
    if (auto length = content_length(); length && *length > limit)
      return reject(parse_error::body_too_large, ec);
    body_limit(limit);
  }

  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length)
      req_.body.reserve(static_cast<size_t>(*length)); // already checked against the limit
  }

  size_t on_body_impl(beast_string_view data, error_code&) override {
    req_.body.append(data.data(), data.size());
    return data.size();
  }

  void on_chunk_header_impl(std::uint64_t, beast_string_view, error_code&) override {}

  size_t on_chunk_body_impl(std::uint64_t, beast_string_view data, error_code&) override {
    req_.body.append(data.data(), data.size());
    return data.size();
  }

  void on_finish_impl(error_code&) override {}

  request& req_;
  const parser_limits& limits_;
};

} // namespace

std::string_view to_string(parse_error e) {
  switch (e) {
    case parse_error::none:
      return "none";
    case parse_error::headers_too_large:
      return "headers_too_large";
    case parse_error::body_too_large:
      return "body_too_large";
    case parse_error::bad_request:
      return "bad_request";
    case parse_error::length_required:
      return "length_required";
    case parse_error::unsupported_version:
      return "unsupported_version";
  }
  return "unknown";
}

struct request_parser::impl {
  parser_limits limits;
  std::string buffer;
  size_t offset = 0;                    // start of the unconsumed bytes in `buffer`
  request current;                      // the request being parsed
  std::optional<message_parser> parser; // engaged while a request is being parsed
  size_t header_bytes_consumed = 0;     // header bytes Beast already took (it may take
                                        // complete lines before the header ends)
  parse_error failure = parse_error::none;

  explicit impl(parser_limits l) : limits(std::move(l)) {}

  std::string_view unconsumed() const { return std::string_view(buffer).substr(offset); }

  parse_status fail(parse_error why) {
    failure = why;
    return parse_status::error;
  }

  // RFC 9112 2.2: ignore empty lines before a request-line (some clients send
  // a CRLF after a POST body).
  void skip_empty_lines() {
    while (buffer.size() - offset >= 2 && buffer[offset] == '\r' && buffer[offset + 1] == '\n')
      offset += 2;
  }

  parse_error classify(const error_code& ec) const {
    if (parser->rejected != parse_error::none)
      return parser->rejected;
    if (ec == bhttp::error::header_limit)
      return parse_error::headers_too_large;
    if (ec == bhttp::error::body_limit)
      return parse_error::body_too_large;
    if (ec == bhttp::error::bad_version && is_other_http_version(unconsumed()))
      return parse_error::unsupported_version;
    return parse_error::bad_request;
  }

  parse_status step(request& out);
};

parse_status request_parser::impl::step(request& out) {
  const size_t max_header = limits.max_header_bytes;
  for (;;) {
    size_t available = buffer.size() - offset;
    if (available == 0)
      return parse_status::need_more;
    message_parser& p = *parser;
    const bool in_header = !p.is_header_done();
    if (in_header) {
      // Stop right after the header so every byte consumed now is a header
      // byte: Beast's own header_limit does not count the request line when
      // line and fields arrive in one call, so the total is checked here.
      p.eager(false);
      size_t budget = max_header > header_bytes_consumed ? max_header - header_bytes_consumed : 0;
      p.header_limit(static_cast<std::uint32_t>(
          std::min<size_t>(budget, std::numeric_limits<std::uint32_t>::max())));
    }
    error_code ec;
    size_t used = p.put(boost::asio::const_buffer(buffer.data() + offset, available), ec);
    offset += used;
    if (in_header) {
      header_bytes_consumed += used;
      if (header_bytes_consumed > max_header)
        return fail(parse_error::headers_too_large);
      p.eager(true); // the body (if any) is then parsed in one go
    }

    if (ec == bhttp::error::need_more) {
      size_t pending = buffer.size() - offset;
      // Never buffer without bound: an unfinished header (Beast stops checking
      // its limit once its budget is spent) or an unfinished chunk-size line or
      // trailer section (Beast does not limit those at all).
      if (!p.is_header_done() ? header_bytes_consumed + pending >= max_header
                              : pending > max_header)
        return fail(parse_error::headers_too_large);
      return parse_status::need_more;
    }
    if (ec == bhttp::error::bad_version && p.rejected == parse_error::none &&
        line_unfinished(unconsumed())) {
      // Beast refuses a version other than 1.0/1.1 before the line's CRLF is
      // there, but 505 or 400 depends on the rest of the line (found by
      // tests/fuzz): parse the line again when more bytes came.
      if (available >= max_header)
        return fail(parse_error::headers_too_large);
      parser.emplace(current, limits);
      return parse_status::need_more;
    }
    if (ec)
      return fail(classify(ec));
    if (p.is_done()) {
      std::swap(out, current); // hands over the request, keeps out's old capacity
      reset_keeping_capacity(current);
      parser.reset();
      return parse_status::complete;
    }
    if (used == 0)
      return parse_status::need_more; // defensive: Beast made no progress
  }
}

request_parser::request_parser(parser_limits limits)
    : impl_(std::make_unique<impl>(std::move(limits))) {}

request_parser::~request_parser() = default;
request_parser::request_parser(request_parser&&) noexcept = default;
request_parser& request_parser::operator=(request_parser&&) noexcept = default;

void request_parser::feed(const char* data, size_t size) {
  impl& m = *impl_;
  if (m.offset == m.buffer.size()) {
    m.buffer.clear();
    if (m.buffer.capacity() > kept_capacity_bytes)
      m.buffer.shrink_to_fit();
    m.offset = 0;
  } else if (m.offset >= compact_after_bytes && m.offset >= m.buffer.size() / 2) {
    m.buffer.erase(0, m.offset); // unconsumed bytes keep their relative positions
    m.offset = 0;
  }
  m.buffer.append(data, size);
}

const request& request_parser::partial() const {
  return impl_->current;
}

parse_status request_parser::next(request& out) {
  impl& m = *impl_;
  if (m.failure != parse_error::none)
    return parse_status::error;
  if (!m.parser) {
    m.skip_empty_lines();
    if (m.offset == m.buffer.size())
      return parse_status::need_more;
    // A lone CR may be the first half of an empty line whose LF is in the next
    // read: wait for it (found by tests/fuzz, fed byte by byte).
    if (m.buffer.size() - m.offset == 1 && m.buffer[m.offset] == '\r')
      return parse_status::need_more;
    m.parser.emplace(m.current, m.limits);
    m.header_bytes_consumed = 0;
  }
  return m.step(out);
}

parse_error request_parser::error() const {
  return impl_->failure;
}

bool request_parser::in_progress() const {
  return impl_->parser.has_value() || impl_->offset < impl_->buffer.size();
}

size_t request_parser::buffered() const {
  return impl_->buffer.size() - impl_->offset;
}

bool request_parser::take_expect_continue() {
  impl& m = *impl_;
  if (!m.parser || !m.parser->expect_continue || m.parser->is_done() ||
      m.failure != parse_error::none)
    return false;
  m.parser->expect_continue = false;
  return true;
}

} // namespace haven::http
