#pragma once

#include "messages/health.hpp"

// Header-only: the HTTP edge renders /health from pushed snapshots with it.
namespace haven::health {

enum class overall : uint8_t { healthy, degraded, unhealthy };

/// API.md section 8: PostgreSQL down -> unhealthy (503); Redis or NATS down ->
/// degraded (200); all up -> healthy. Before the first probe round nothing is
/// known, which counts as PostgreSQL down: a node must not claim health early.
inline overall overall_status(const health_snapshot& s) {
  if (!s.probed || !s.postgres.up)
    return overall::unhealthy;
  if (!s.redis.up || !s.nats.up)
    return overall::degraded;
  return overall::healthy;
}

inline const char* to_string(overall x) {
  switch (x) {
    case overall::healthy:
      return "healthy";
    case overall::degraded:
      return "degraded";
    case overall::unhealthy:
      return "unhealthy";
  }
  return "unhealthy";
}

/// The HTTP status `GET /health` answers with.
inline int http_status(overall x) {
  return x == overall::unhealthy ? 503 : 200;
}

} // namespace haven::health
