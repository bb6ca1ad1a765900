#pragma once

#include <chrono>

#include "config/settings.hpp"

namespace haven::config {

/// How long an actor waits for a store actor's answer: the store's own
/// deadline (HAVEN_STORE_TIMEOUT_MS, enforced by the pool and the Redis
/// client, which answer dependency_unavailable) plus one second, so the
/// store's answer decides, never a second timer racing it.
inline std::chrono::milliseconds store_wait(const settings& cfg) {
  return std::chrono::milliseconds(cfg.store_timeout_ms + 1000);
}

} // namespace haven::config
