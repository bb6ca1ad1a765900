#pragma once

#include <chrono>
#include <thread>

namespace haven::test {

/// Calls `pred` until it holds (true) or `limit` has passed (false), sleeping
/// `every` between calls. `pred` runs at least once and never after a sleep
/// that ended past the limit.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit,
                std::chrono::milliseconds every = std::chrono::milliseconds{20}) {
  const auto end = std::chrono::steady_clock::now() + limit;
  do {
    if (static_cast<bool>(pred()))
      return true;
    std::this_thread::sleep_for(every);
  } while (std::chrono::steady_clock::now() < end);
  return false;
}

} // namespace haven::test
