#pragma once

#include "messages/health.hpp"

// The rule behind a health snapshot's `overall`; the health actor applies it
// each probe round and the edge renders the result.
namespace haven::health {

using overall = health_overall;

/// API.md section 8: PostgreSQL down -> unhealthy; Redis or NATS down ->
/// degraded; all up -> healthy. Before the first probe round nothing is
/// known, which counts as PostgreSQL down: a node must not claim health early.
inline overall overall_status(const health_snapshot& s) {
  if (!s.probed || !s.postgres.up)
    return overall::unhealthy;
  if (!s.redis.up || !s.nats.up)
    return overall::degraded;
  return overall::healthy;
}

} // namespace haven::health
