#include "actors/sync_queue/sync_metrics.hpp"

#include "io/metrics/http_metrics.hpp"

namespace haven::sync {

void sync_metrics::render(std::string& out) const {
  metrics::append_metric(out, "haven_sync_uploads_total", "counter", "Sync uploads answered 200.",
                         static_cast<double>(uploads.load(std::memory_order_relaxed)));
  out += "# HELP haven_sync_ops_total Sync ops by outcome.\n# TYPE haven_sync_ops_total counter\n";
  const std::pair<const char*, const std::atomic<uint64_t>*> by_status[] = {
      {"applied", &applied},
      {"duplicate", &duplicate},
      {"conflict", &conflict},
      {"rejected", &rejected}};
  for (auto [status, v] : by_status)
    out += std::string{"haven_sync_ops_total{status=\""} + status + "\"} " +
           std::to_string(v->load(std::memory_order_relaxed)) + '\n';
  metrics::append_metric(
      out, "haven_sync_replans_total", "counter",
      "Sync uploads planned again because another node wrote the user's state first.",
      static_cast<double>(replans.load(std::memory_order_relaxed)));
  metrics::append_metric(out, "haven_sync_upload_errors_total", "counter",
                         "Sync uploads answered with an error.",
                         static_cast<double>(failed.load(std::memory_order_relaxed)));
  metrics::append_metric(out, "haven_sync_queues", "gauge",
                         "Live per-user sync queue actors on this node.",
                         static_cast<double>(queues.load(std::memory_order_relaxed)));
  metrics::append_metric(out, "haven_sync_queued_uploads", "gauge",
                         "Sync uploads waiting or running on this node.",
                         static_cast<double>(queued_uploads.load(std::memory_order_relaxed)));
}

} // namespace haven::sync
