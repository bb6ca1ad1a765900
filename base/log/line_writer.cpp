#include "base/log/line_writer.hpp"

#include <cerrno>

#include <poll.h>
#include <unistd.h>

namespace haven::log {

namespace {

// Capacity of a fresh batch buffer: one access-log batch plus the line that
// tips it over, so appending never reallocates.
constexpr size_t batch_capacity = 64 * 1024 + 4096;
constexpr size_t max_spare_buffers = 8;

} // namespace

line_writer::line_writer(int fd, bool owns_fd, size_t max_pending_bytes)
    : fd_(fd), owns_fd_(owns_fd), max_pending_bytes_(max_pending_bytes) {
  thread_ = std::thread([this] { run(); });
}

line_writer::~line_writer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (owns_fd_)
    ::close(fd_);
}

bool line_writer::enqueue(std::string& bytes, size_t lines, bool droppable) {
  size_t limit = droppable ? max_pending_bytes_ : 4 * max_pending_bytes_;
  if (bytes.empty())
    return true;
  if (pending_bytes_ + bytes.size() > limit) {
    dropped_lines_.fetch_add(lines, std::memory_order_relaxed);
    return false;
  }
  pending_bytes_ += bytes.size();
  pending_.push_back({std::move(bytes), lines});
  return true;
}

void line_writer::submit(std::string&& bytes, size_t lines, bool droppable) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    enqueue(bytes, lines, droppable);
  }
  wake_.notify_one();
}

std::string line_writer::hand_over(std::string&& bytes, size_t lines, bool droppable) {
  std::string next;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!enqueue(bytes, lines, droppable)) {
      bytes.clear();
      return std::move(bytes); // dropped: the caller refills its own buffer
    }
    if (!spare_.empty()) {
      next = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  wake_.notify_one();
  if (next.capacity() == 0)
    next.reserve(batch_capacity);
  return next;
}

void line_writer::drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  drained_.wait(lock, [this] { return pending_.empty() && !busy_; });
}

void line_writer::write_all(const std::string& bytes) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    auto n = ::write(fd_, p, left);
    if (n > 0) {
      p += n;
      left -= static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd pfd{fd_, POLLOUT, 0};
      ::poll(&pfd, 1, 100);
    } else {
      return; // the output is gone (closed pipe, full disk): nothing to do
    }
  }
}

void line_writer::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) {
      if (stopping_)
        return;
      continue;
    }
    batch b = std::move(pending_.front());
    pending_.pop_front();
    busy_ = true;
    const size_t size = b.bytes.size();
    lock.unlock();
    write_all(b.bytes);
    written_lines_.fetch_add(b.lines, std::memory_order_relaxed);
    b.bytes.clear();
    lock.lock();
    pending_bytes_ -= size;
    busy_ = false;
    if (spare_.size() < max_spare_buffers && b.bytes.capacity() >= 4096 &&
        b.bytes.capacity() <= 2 * batch_capacity)
      spare_.push_back(std::move(b.bytes));
    if (pending_.empty())
      drained_.notify_all();
  }
}

} // namespace haven::log
