#pragma once

// Helpers for the concurrency tests of issue 12 (auth_race_test.cpp and
// tests/cluster/auth_cluster_race_test.cpp): many requests released at once,
// the password-verify counter of /metrics, and a refresh loop ("the thief")
// that records which of its refreshes were sent after a revocation answered.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/auth_test_support.hpp"

namespace haven::test::auth {

/// Runs `fn(i)` for i in [0, n) on n threads released together; returns the
/// statuses in order.
inline std::vector<int> all_at_once(int n, const std::function<int(int)>& fn) {
  std::vector<int> out(static_cast<size_t>(n), 0);
  std::mutex m;
  std::condition_variable cv;
  int ready = 0;
  bool go = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      {
        std::unique_lock<std::mutex> lock{m};
        ++ready;
        cv.notify_all();
        cv.wait(lock, [&] { return go; });
      }
      out[static_cast<size_t>(i)] = fn(i);
    });
  {
    std::unique_lock<std::mutex> lock{m};
    cv.wait(lock, [&] { return ready == n; });
    go = true;
  }
  cv.notify_all();
  for (auto& t : threads)
    t.join();
  return out;
}

inline int count_of(const std::vector<int>& v, int status) {
  int n = 0;
  for (auto s : v)
    n += s == status ? 1 : 0;
  return n;
}

/// haven_password_hashes_total{kind="verify"} of a node: passwords checked.
/// The edge renders /metrics at most once a second: wait that long first so
/// the value read includes everything answered before the call.
inline long verifies(uint16_t port) {
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto r = call(port, "GET", "/metrics");
  const std::string name = "haven_password_hashes_total{kind=\"verify\"} ";
  auto at = r.body.find(name);
  if (at == std::string::npos)
    return -1;
  return std::stol(r.body.substr(at + name.size()));
}

/// A refresh loop on one token in a tight loop until `stop`: each 200 replaces
/// the token. Records, per request, when it was sent and what it got.
class thief {
 public:
  using clock = std::chrono::steady_clock;
  thief(uint16_t port, std::string refresh) : port_(port), token_(std::move(refresh)) {
    worker_ = std::thread([this] { run(); });
  }
  ~thief() { stop(); }
  thief(const thief&) = delete;
  thief& operator=(const thief&) = delete;

  void stop() {
    stop_ = true;
    if (worker_.joinable())
      worker_.join();
  }
  /// Blocks until the loop rotated at least `n` times (or failed).
  bool wait_rotations(int n) {
    for (int i = 0; i < 2000 && successes_ < n && !failed_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return successes_ >= n;
  }
  /// Successful refreshes sent after `t` (must be 0 once a revocation answered at t).
  int successes_sent_after(clock::time_point t) {
    std::lock_guard<std::mutex> lock{m_};
    int n = 0;
    for (auto& [sent, status] : log_)
      n += sent > t && status == 200 ? 1 : 0;
    return n;
  }
  int successes() const { return successes_; }
  std::string token() {
    std::lock_guard<std::mutex> lock{m_};
    return token_;
  }

 private:
  void run() {
    int failures = 0;
    while (!stop_ && failures < 20) {
      auto t = token();
      auto sent = clock::now();
      auto r = call(port_, "POST", "/v1/auth/refresh", obj({{"refresh_token", t}}));
      {
        std::lock_guard<std::mutex> lock{m_};
        log_.emplace_back(sent, r.status);
        if (r.status == 200)
          token_ = field(r, "/refresh_token");
      }
      if (r.status == 200)
        ++successes_;
      else
        ++failures;
      if (r.status != 200 && successes_ == 0)
        failed_ = true;
    }
  }

  uint16_t port_;
  std::mutex m_;
  std::string token_;
  std::vector<std::pair<clock::time_point, int>> log_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> failed_{false};
  std::atomic<int> successes_{0};
  std::thread worker_;
};

} // namespace haven::test::auth
