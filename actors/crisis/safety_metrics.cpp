#include "actors/crisis/safety_metrics.hpp"

#include "io/metrics/http_metrics.hpp"

namespace haven::crisis {

namespace {

void counter(std::string& out, const char* name, const char* help, const std::atomic<uint64_t>& v) {
  metrics::append_header(out, name, "counter", help);
  metrics::append_sample(out, name, "", static_cast<double>(v.load(std::memory_order_relaxed)));
}

} // namespace

void safety_metrics::render(std::string& out) const {
  counter(out, "haven_crisis_detections_total", "Crisis detect calls answered.", detections);
  counter(out, "haven_crisis_escalations_total",
          "Crisis events stored and emitted (risk high or critical).", escalations);
  counter(out, "haven_crisis_escalation_failures_total",
          "Escalations that could not be stored (answered 503).", escalation_failures);
  counter(out, "haven_crisis_session_fallbacks_total",
          "Detect calls with a session_id answered from the node-local trajectory "
          "(Redis unavailable or the session contended).",
          session_fallbacks);
  counter(out, "haven_moderation_validations_total", "Validate calls answered.", validations);
  counter(out, "haven_moderation_flagged_total", "Items put in a review queue.",
          moderation_flagged);
  counter(out, "haven_moderation_blocked_total", "Validate answers with action block.",
          moderation_blocked);
}

} // namespace haven::crisis
