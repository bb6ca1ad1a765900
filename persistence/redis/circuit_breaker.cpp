#include "persistence/redis/circuit_breaker.hpp"

#include <algorithm>

namespace haven::redis {

circuit_breaker::circuit_breaker(options opts) : opts_(opts) {
  opts_.failures_to_open = std::max<uint32_t>(1, opts_.failures_to_open);
}

void circuit_breaker::on_success() {
  if (!open_)
    failures_ = 0;
}

bool circuit_breaker::on_failure(time_point now) {
  if (open_)
    return false; // already open: a late answer of a call sent before
  if (++failures_ < opts_.failures_to_open)
    return false;
  open_ = true;
  probing_ = false;
  opened_at_ = now;
  next_probe_ = now; // probe at once: a lone dropped connection heals fast
  return true;
}

bool circuit_breaker::probe_due(time_point now) const {
  return open_ && !probing_ && now >= next_probe_;
}

void circuit_breaker::probe_started(time_point now) {
  probing_ = true;
  next_probe_ = now + opts_.probe_interval;
}

bool circuit_breaker::on_probe_result(bool ok, time_point now) {
  probing_ = false;
  if (!open_)
    return false;
  if (!ok) {
    // Counted from the probe's end: a probe that hung for its whole timeout
    // is followed by a pause too, never by an immediate retry.
    next_probe_ = now + opts_.probe_interval;
    return false;
  }
  open_ = false;
  failures_ = 0;
  return true;
}

} // namespace haven::redis
