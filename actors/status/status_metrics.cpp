#include "actors/status/status_metrics.hpp"

#include "io/metrics/http_metrics.hpp"

namespace haven::status {

namespace {

void counter(std::string& out, const char* name, const char* help, const std::atomic<uint64_t>& v) {
  metrics::append_metric(out, name, "counter", help,
                         static_cast<double>(v.load(std::memory_order_relaxed)));
}

} // namespace

void status_metrics::render(std::string& out) const {
  counter(out, "haven_status_updates_total", "Status updates committed.", updates);
  counter(out, "haven_status_refused_total",
          "Status updates of a record the caller may not write (answered 404).", refused);
  counter(out, "haven_status_store_failures_total",
          "Status requests answered 503 because Redis was unavailable.", store_failures);
  counter(out, "haven_status_events_relayed_total",
          "status.updated events moved from the Redis outbox to NATS.", relayed);
  counter(out, "haven_status_relay_failures_total",
          "Relay publishes NATS did not accept (the events wait in Redis).", relay_failures);
  counter(out, "haven_status_events_dropped_total",
          "Malformed status outbox entries removed unsent.", dropped);
  metrics::append_metric(out, "haven_status_outbox_depth", "gauge",
                         "Entries waiting in the Redis status outbox (-1 until first read).",
                         static_cast<double>(outbox_depth.load(std::memory_order_relaxed)));
}

} // namespace haven::status
