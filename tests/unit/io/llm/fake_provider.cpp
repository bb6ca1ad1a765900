#include "fake_provider.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

#include "base/json/json_writer.hpp"

namespace haven::llm::testing {

namespace {

bool send_all(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    // MSG_NOSIGNAL: the client may have gone (timeout, cap): no SIGPIPE.
    auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

} // namespace

std::string reply_json(const std::string& text) {
  json::writer w;
  w.begin_object().key("choices").begin_array().begin_object().key("message").begin_object();
  w.field("role", "assistant").field("content", text).end_object().end_object().end_array();
  return std::move(w.end_object()).str();
}

fake_provider::fake_provider() : body_{reply_json("I hear you.")} {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error{"fake_provider: cannot listen on 127.0.0.1"};
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread{[this] { accept_loop(); }};
}

fake_provider::~fake_provider() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
    for (int fd : open_fds_)
      ::shutdown(fd, SHUT_RDWR); // wakes a worker blocked in recv
  }
  cv_.notify_all();
  ::shutdown(listen_fd_, SHUT_RDWR); // wakes accept()
  acceptor_.join();
  ::close(listen_fd_);
  for (auto& t : workers_) // no new workers: the acceptor has stopped
    t.join();
}

std::string fake_provider::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1/chat/completions";
}

void fake_provider::set_mode(mode m) {
  std::lock_guard<std::mutex> guard{mtx_};
  mode_ = m;
}

void fake_provider::set_response(int status, std::string body, std::string extra_headers) {
  std::lock_guard<std::mutex> guard{mtx_};
  status_ = status;
  body_ = std::move(body);
  extra_headers_ = std::move(extra_headers);
}

void fake_provider::release() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    released_ = true;
  }
  cv_.notify_all();
}

bool fake_provider::wait_for_requests(size_t n) {
  std::unique_lock<std::mutex> lock{mtx_};
  return cv_.wait_for(lock, std::chrono::seconds{30}, [&] { return requests_.size() >= n; });
}

std::vector<received> fake_provider::requests() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return requests_;
}

void fake_provider::accept_loop() {
  for (;;) {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    std::lock_guard<std::mutex> guard{mtx_};
    if (stopping_) {
      if (fd >= 0)
        ::close(fd);
      return;
    }
    if (fd < 0)
      continue;
    open_fds_.insert(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void fake_provider::serve(int fd) {
  mode m;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    m = mode_;
  }
  received req;
  if (m != mode::close_now && read_request(fd, req)) {
    std::unique_lock<std::mutex> lock{mtx_};
    requests_.push_back(req);
    cv_.notify_all();
    if (m == mode::hang)
      cv_.wait(lock, [&] { return stopping_; });
    else if (m == mode::hold)
      cv_.wait(lock, [&] { return stopping_ || released_; });
    else if (m == mode::slow)
      cv_.wait_for(lock, std::chrono::seconds{5}, [&] { return stopping_; });
    int status = status_;
    std::string body = body_, extra = extra_headers_;
    lock.unlock();
    if (m == mode::oversized)
      send_oversized(fd);
    else if (m != mode::hang)
      answer(fd, status, body, extra);
  }
  std::lock_guard<std::mutex> guard{mtx_};
  open_fds_.erase(fd);
  ::close(fd);
}

bool fake_provider::read_request(int fd, received& out) {
  std::string data;
  char buf[4096];
  size_t head_end = std::string::npos;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
    auto n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0)
      return false;
    data.append(buf, static_cast<size_t>(n));
  }
  std::string head = data.substr(0, head_end);
  size_t line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  size_t sp1 = request_line.find(' '), sp2 = request_line.rfind(' ');
  out.method = request_line.substr(0, sp1);
  out.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos)
      end = head.size();
    std::string line = head.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      size_t v = line.find_first_not_of(' ', colon + 1);
      out.headers[lower(line.substr(0, colon))] = v == std::string::npos ? "" : line.substr(v);
    }
    pos = end + 2;
  }
  size_t length = 0;
  if (auto it = out.headers.find("content-length"); it != out.headers.end())
    length = std::stoul(it->second);
  out.body = data.substr(head_end + 4);
  while (out.body.size() < length) {
    auto n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0)
      return false;
    out.body.append(buf, static_cast<size_t>(n));
  }
  return true;
}

void fake_provider::answer(int fd, int status, const std::string& body, const std::string& extra) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " Fake\r\n" +
                     "Content-Type: application/json\r\nConnection: close\r\n" +
                     "Content-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n";
  send_all(fd, head + body);
}

void fake_provider::send_oversized(int fd) {
  constexpr size_t filler = size_t{2} << 20; // 2 MiB, twice the client's cap
  std::string open = R"({"choices":[{"message":{"content":")", close = R"("}}]})";
  std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     "Content-Length: " +
                     std::to_string(open.size() + filler + close.size()) + "\r\n\r\n" + open;
  if (!send_all(fd, head))
    return;
  std::string chunk(64 * 1024, 'a');
  for (size_t sent = 0; sent < filler; sent += chunk.size())
    if (!send_all(fd, chunk))
      return; // the client stopped reading at its cap
  send_all(fd, close);
}

} // namespace haven::llm::testing
