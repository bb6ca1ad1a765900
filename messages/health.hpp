#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/pg.hpp"
#include "messages/type_ids.hpp"

namespace haven {

/// The outcome of one probe of one store (PostgreSQL, Redis or NATS).
struct probe_result {
  bool up = false;
  double latency_ms = 0;
  std::string error; // short, safe to log (never a connection string)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, probe_result& x) {
  return f(caf::meta::type_name("probe_result"), x.up, x.latency_ms, x.error);
}

/// API.md section 8's verdict, computed by the health actor
/// (actors/health/health_rules.hpp) so every listener reads the same one.
enum class health_overall : uint8_t { healthy, degraded, unhealthy };

inline const char* to_string(health_overall x) {
  switch (x) {
    case health_overall::healthy:
      return "healthy";
    case health_overall::degraded:
      return "degraded";
    case health_overall::unhealthy:
      return "unhealthy";
  }
  return "unhealthy";
}

/// The health actor's cached view of all stores, pushed to listeners (the
/// HTTP edge) whenever it is refreshed, so `GET /health` costs no round trip.
struct health_snapshot {
  probe_result postgres;
  probe_result redis;
  probe_result nats;
  bool probed = false;       // false until the first round of probes finished
  pg_pool_stats pool;        // the PostgreSQL pool as of the last round
  int64_t outbox_depth = -1; // outbox rows waiting for NATS (-1: not known yet)
  health_overall overall = health_overall::unhealthy; // of the probes above
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, health_snapshot& x) {
  return f(caf::meta::type_name("health_snapshot"), x.postgres, x.redis, x.nats, x.probed, x.pool,
           x.outbox_depth, x.overall);
}

/// Anyone who wants fresh health snapshots (the HTTP edge, the rate limiter).
using health_listener = caf::typed_actor<caf::reacts_to<health_snapshot>>;

/// The health actor: probes every store each second, keeps the result.
using health_actor = caf::typed_actor<caf::reacts_to<subscribe_atom, health_listener>,
                                      caf::replies_to<get_atom>::with<health_snapshot>>;

/// A store prober: owns one connection, answers one probe at a time.
using prober_actor = caf::typed_actor<caf::replies_to<probe_atom>::with<probe_result>>;

} // namespace haven
