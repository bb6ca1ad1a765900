#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace haven::log {

/// The one thread that writes the process's log output. Callers hand over
/// batches of whole lines (the HTTP edge its access lines, ~64 KiB at a time
/// like nginx's `access_log ... buffer=64k`; the logger each other line); the
/// writer puts each batch on the file descriptor with one write(2), so lines
/// of different callers never interleave.
///
/// Handing over never blocks on the output: when more than `max_pending_bytes`
/// wait (a stalled terminal, a full pipe), droppable batches are dropped and
/// their lines counted instead of stalling the edge's thread. Other lines are
/// kept up to four times that, then dropped and counted too.
class line_writer {
 public:
  line_writer(int fd, bool owns_fd, size_t max_pending_bytes = 1 << 20);
  ~line_writer(); // writes what waits, then stops
  line_writer(const line_writer&) = delete;
  line_writer& operator=(const line_writer&) = delete;

  /// Takes `bytes` (`lines` whole lines, each ending in '\n') to write.
  void submit(std::string&& bytes, size_t lines, bool droppable);

  /// Takes `batch` (`lines` whole lines, each ending in '\n') and returns an
  /// empty buffer with capacity for the caller's next batch (a recycled one
  /// when there is one), so a steady caller allocates nothing.
  std::string hand_over(std::string&& batch, size_t lines, bool droppable);

  /// Blocks until everything handed over so far is written (shutdown, tests).
  void drain();

  uint64_t dropped_lines() const { return dropped_lines_.load(std::memory_order_relaxed); }
  uint64_t written_lines() const { return written_lines_.load(std::memory_order_relaxed); }

 private:
  struct batch {
    std::string bytes;
    size_t lines = 0;
  };
  /// With the mutex held: queues `bytes` (moved from) or counts it dropped.
  bool enqueue(std::string& bytes, size_t lines, bool droppable);
  void run();
  void write_all(const std::string& bytes);

  int fd_;
  bool owns_fd_;
  size_t max_pending_bytes_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable drained_;
  std::deque<batch> pending_;
  size_t pending_bytes_ = 0;
  bool busy_ = false;              // the thread is writing a batch it took
  std::vector<std::string> spare_; // emptied buffers for hand_over to return
  bool stopping_ = false;
  std::atomic<uint64_t> dropped_lines_{0};
  std::atomic<uint64_t> written_lines_{0};
  std::thread thread_;
};

} // namespace haven::log
