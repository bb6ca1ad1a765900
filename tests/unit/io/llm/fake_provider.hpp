#pragma once

// A fake OpenAI-compatible provider for the client's tests: a plain socket
// server on 127.0.0.1 (ephemeral port), one thread per connection, HTTP/1.1
// with "Connection: close". No network beyond loopback.

#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace haven::llm::testing {

enum class mode {
  answer,    // the configured status and body at once
  slow,      // the configured answer after 5 s (or at stop)
  hang,      // reads the request, never answers (until stop)
  close_now, // accepts and closes without reading
  hold,      // reads the request, answers once release() is called
  oversized, // 200 with a 2 MiB body of valid JSON
};

struct received {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers; // names lower-cased
  std::string body;
};

class fake_provider {
 public:
  fake_provider();
  ~fake_provider();

  std::string url() const; // http://127.0.0.1:<port>/v1/chat/completions
  void set_mode(mode m);
  void set_response(int status, std::string body, std::string extra_headers = {});
  void release();
  /// Waits (at most 30 s, a guard against a hang, not a timing check) until
  /// n requests were read; false if they were not.
  bool wait_for_requests(size_t n);
  std::vector<received> requests() const;

 private:
  void accept_loop();
  void serve(int fd);
  bool read_request(int fd, received& out);
  void answer(int fd, int status, const std::string& body, const std::string& extra);
  void send_oversized(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  mode mode_ = mode::answer;
  int status_ = 200;
  std::string body_;
  std::string extra_headers_;
  bool released_ = false;
  bool stopping_ = false;
  std::vector<received> requests_;
  std::set<int> open_fds_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

/// {"choices":[{"message":{"role":"assistant","content":<text>}}]}
std::string reply_json(const std::string& text);

} // namespace haven::llm::testing
