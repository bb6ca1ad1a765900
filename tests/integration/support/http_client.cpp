#include "tests/integration/support/http_client.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace haven::test {

namespace {

using clock_type = std::chrono::steady_clock;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y)
      return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

int remaining_ms(clock_type::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

enum class parse_result { complete, need_more };

// Parses one response from the start of `in`. `eof`: no more bytes will come
// (a body without length then ends here). Throws on a malformed response.
parse_result parse_response(const std::string& in, bool head_request, bool eof, http_response& out,
                            size_t& consumed) {
  auto end = in.find("\r\n\r\n");
  if (end == std::string::npos)
    return parse_result::need_more;
  http_response r;
  std::string_view head{in.data(), end};
  auto line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  auto sp1 = status_line.find(' ');
  if (sp1 == std::string_view::npos || status_line.substr(0, 5) != "HTTP/")
    throw std::runtime_error("malformed status line: " + std::string{status_line});
  r.version = std::string{status_line.substr(0, sp1)};
  auto code = status_line.substr(sp1 + 1, 3);
  if (code.size() != 3 || code.find_first_not_of("0123456789") != std::string_view::npos)
    throw std::runtime_error("malformed status code: " + std::string{status_line});
  r.status = std::stoi(std::string{code});
  if (status_line.size() > sp1 + 5)
    r.reason = std::string{status_line.substr(sp1 + 5)};
  std::string_view rest =
      line_end == std::string_view::npos ? std::string_view{} : head.substr(line_end + 2);
  while (!rest.empty()) {
    auto eol = rest.find("\r\n");
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      throw std::runtime_error("malformed header line: " + std::string{line});
    r.headers.emplace_back(std::string{line.substr(0, colon)},
                           std::string{trim(line.substr(colon + 1))});
  }
  size_t pos = end + 4;
  bool no_body =
      head_request || (r.status >= 100 && r.status < 200) || r.status == 204 || r.status == 304;
  const std::string* te = r.header("transfer-encoding");
  const std::string* cl = r.header("content-length");
  if (no_body) {
    // nothing
  } else if (te != nullptr && to_lower(*te).find("chunked") != std::string::npos) {
    for (;;) {
      auto eol = in.find("\r\n", pos);
      if (eol == std::string::npos)
        return parse_result::need_more;
      auto size_text = in.substr(pos, eol - pos);
      size_text = size_text.substr(0, size_text.find(';'));
      size_t size = 0;
      try {
        size = std::stoul(size_text, nullptr, 16);
      } catch (const std::exception&) {
        throw std::runtime_error("malformed chunk size: " + size_text);
      }
      pos = eol + 2;
      if (size == 0) {
        // Trailers until an empty line.
        for (;;) {
          auto tl = in.find("\r\n", pos);
          if (tl == std::string::npos)
            return parse_result::need_more;
          bool empty = tl == pos;
          pos = tl + 2;
          if (empty)
            break;
        }
        break;
      }
      if (in.size() < pos + size + 2)
        return parse_result::need_more;
      r.body.append(in, pos, size);
      pos += size + 2;
    }
  } else if (cl != nullptr) {
    size_t length = 0;
    try {
      length = std::stoul(*cl);
    } catch (const std::exception&) {
      throw std::runtime_error("malformed Content-Length: " + *cl);
    }
    if (in.size() < pos + length)
      return parse_result::need_more;
    r.body = in.substr(pos, length);
    pos += length;
  } else {
    // No framing: the body runs until the server closes (RFC 9112 6.3).
    if (!eof)
      return parse_result::need_more;
    r.body = in.substr(pos);
    pos = in.size();
  }
  consumed = pos;
  out = std::move(r);
  return parse_result::complete;
}

} // namespace

std::string to_lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::string* http_response::header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (iequals(k, name))
      return &v;
  return nullptr;
}

std::string http_response::header_or_empty(std::string_view name) const {
  auto* v = header(name);
  return v != nullptr ? *v : std::string{};
}

size_t http_response::header_count(std::string_view name) const {
  size_t n = 0;
  for (auto& [k, v] : headers)
    if (iequals(k, name))
      ++n;
  return n;
}

bool http_response::connection_close() const {
  for (auto& [k, v] : headers) {
    if (!iequals(k, "connection"))
      continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      if (iequals(trim(rest.substr(0, comma)), "close"))
        return true;
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  return false;
}

std::string make_request(std::string_view method, std::string_view target,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         std::string_view body) {
  std::string out;
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  bool has_length = false;
  for (auto& [k, v] : headers) {
    out.append(k).append(": ").append(v).append("\r\n");
    has_length = has_length || iequals(k, "content-length");
  }
  if (!body.empty() && !has_length)
    out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  out.append("\r\n").append(body);
  return out;
}

std::optional<http_connection> http_connection::try_connect(uint16_t port,
                                                            std::chrono::milliseconds timeout) {
  http_connection c;
  c.fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (c.fd_ < 0)
    return std::nullopt;
  int one = 1;
  ::setsockopt(c.fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); // split writes stay split
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int rc = ::connect(c.fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (rc != 0 && errno != EINPROGRESS)
    return std::nullopt;
  if (rc != 0) {
    pollfd p{c.fd_, POLLOUT, 0};
    const auto deadline = clock_type::now() + timeout;
    int n;
    do {
      n = ::poll(&p, 1, remaining_ms(deadline));
    } while (n < 0 && errno == EINTR);
    if (n <= 0)
      return std::nullopt;
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(c.fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0)
      return std::nullopt;
  }
  // Blocking from here on: reads go through poll() with deadlines anyway.
  int flags = ::fcntl(c.fd_, F_GETFL);
  ::fcntl(c.fd_, F_SETFL, flags & ~O_NONBLOCK);
  return c;
}

http_connection::http_connection(uint16_t port, std::chrono::milliseconds timeout) {
  auto c = try_connect(port, timeout);
  if (!c)
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port) + ": " +
                             std::strerror(errno));
  *this = std::move(*c);
}

http_connection::~http_connection() {
  close();
}

http_connection::http_connection(http_connection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), eof_(other.eof_), in_(std::move(other.in_)) {}

http_connection& http_connection::operator=(http_connection&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    eof_ = other.eof_;
    in_ = std::move(other.in_);
  }
  return *this;
}

void http_connection::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

void http_connection::shutdown_write() {
  if (fd_ >= 0)
    ::shutdown(fd_, SHUT_WR);
}

bool http_connection::try_send(std::string_view bytes) {
  if (fd_ < 0)
    return false;
  while (!bytes.empty()) {
    auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void http_connection::send(std::string_view bytes) {
  if (!try_send(bytes))
    throw std::runtime_error(std::string{"send failed: "} + std::strerror(errno));
}

void http_connection::send_bytewise(std::string_view bytes, std::chrono::milliseconds pause) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    send(bytes.substr(i, 1));
    if (i + 1 < bytes.size())
      std::this_thread::sleep_for(pause);
  }
}

read_status http_connection::fill(clock_type::time_point deadline) {
  if (eof_ || fd_ < 0)
    return read_status::closed;
  pollfd p{fd_, POLLIN, 0};
  int n;
  do {
    n = ::poll(&p, 1, remaining_ms(deadline));
  } while (n < 0 && errno == EINTR);
  if (n == 0)
    return read_status::timeout;
  if (n < 0)
    throw std::runtime_error(std::string{"poll failed: "} + std::strerror(errno));
  char buf[16384];
  ssize_t got;
  do {
    got = ::recv(fd_, buf, sizeof buf, 0);
  } while (got < 0 && errno == EINTR);
  if (got > 0) {
    in_.append(buf, static_cast<size_t>(got));
    return read_status::ok;
  }
  // 0: orderly close. An error (ECONNRESET: the server closed with our bytes
  // unread) also means the server is gone.
  eof_ = true;
  return read_status::closed;
}

read_status http_connection::try_read_response(http_response& out,
                                               std::chrono::milliseconds timeout,
                                               bool head_request) {
  const auto deadline = clock_type::now() + timeout;
  for (;;) {
    size_t consumed = 0;
    if (parse_response(in_, head_request, eof_, out, consumed) == parse_result::complete) {
      in_.erase(0, consumed);
      return read_status::ok;
    }
    auto st = fill(deadline);
    if (st == read_status::timeout)
      return st;
    if (st == read_status::closed) {
      // A body without framing may end exactly here.
      if (!in_.empty() &&
          parse_response(in_, head_request, true, out, consumed) == parse_result::complete) {
        in_.erase(0, consumed);
        return read_status::ok;
      }
      return st;
    }
  }
}

http_response http_connection::read_response(std::chrono::milliseconds timeout, bool head_request) {
  http_response r;
  switch (try_read_response(r, timeout, head_request)) {
    case read_status::ok:
      return r;
    case read_status::timeout:
      throw std::runtime_error("no complete response within " + std::to_string(timeout.count()) +
                               " ms; received so far: [" + in_ + "]");
    case read_status::closed:
      break;
  }
  throw std::runtime_error("connection closed before a complete response; received: [" + in_ + "]");
}

bool http_connection::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = clock_type::now() + timeout;
  for (;;) {
    auto st = fill(deadline);
    if (st == read_status::closed)
      return true;
    if (st == read_status::timeout)
      return false;
  }
}

const std::string& http_connection::drain_for(std::chrono::milliseconds window) {
  const auto deadline = clock_type::now() + window;
  while (fill(deadline) == read_status::ok) {
  }
  return in_;
}

http_response http_get(uint16_t port, std::string_view target,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       std::chrono::milliseconds timeout) {
  return http_exchange(port, make_request("GET", target, headers), timeout);
}

http_response http_exchange(uint16_t port, std::string_view raw_request,
                            std::chrono::milliseconds timeout, bool head_request) {
  http_connection c{port, timeout};
  c.send(raw_request);
  return c.read_response(timeout, head_request);
}

} // namespace haven::test
