#pragma once

#include <cerrno>
#include <chrono>

#include <poll.h>

// The one place where the pool's connections wait: poll() on libpq's socket
// with a deadline, so that no libpq call ever blocks without a bound.

namespace haven::pg {

enum class wait_result { ready, timeout, error };

/// Waits for `events` on `fd` until `deadline`. POLLERR/POLLHUP count as ready:
/// libpq then reads the socket and reports the actual error.
inline wait_result wait_socket(int fd, short events,
                               std::chrono::steady_clock::time_point deadline) {
  if (fd < 0)
    return wait_result::error;
  for (;;) {
    auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return wait_result::timeout;
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc > 0)
      return wait_result::ready;
    if (rc == 0)
      return wait_result::timeout;
    if (errno != EINTR)
      return wait_result::error;
  }
}

} // namespace haven::pg
