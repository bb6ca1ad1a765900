#include "actors/sessions/sessions_metrics.hpp"

#include "io/metrics/http_metrics.hpp"

namespace haven::sessions {

namespace {

template <class T>
void metric(std::string& out, const char* name, const char* type, const char* help,
            const std::atomic<T>& v) {
  metrics::append_metric(out, name, type, help,
                         static_cast<double>(v.load(std::memory_order_relaxed)));
}

} // namespace

void sessions_metrics::render(std::string& out) const {
  metric(out, "haven_conversation_sessions_active", "gauge",
         "Conversation session actors alive on this node.", active);
  metric(out, "haven_conversation_activations_total", "counter",
         "Conversation session actors activated.", activations);
  metric(out, "haven_conversation_passivations_total", "counter",
         "Conversation session actors passivated after idle time.", passivations);
  metric(out, "haven_conversation_turns_total", "counter", "Chat turns committed.", turns);
  metric(out, "haven_conversation_version_retries_total", "counter",
         "Turn commits that found another node's turn first and were retried.", version_retries);
  metric(out, "haven_conversation_conflicts_total", "counter",
         "Turns answered 409 after losing the session version three times.", conflicts);
  metric(out, "haven_conversation_provider_replies_total", "counter",
         "Replies written by the language-model provider.", provider_replies);
  metric(out, "haven_conversation_provider_failures_total", "counter",
         "Provider calls that failed, timed out or were refused as busy (fallback answered).",
         provider_failures);
  metric(out, "haven_conversation_fallback_replies_total", "counter",
         "Replies from the built-in fallback templates.", fallback_replies);
  metric(out, "haven_conversation_blocked_inputs_total", "counter",
         "Chat messages blocked by input moderation (answered 200 with a supportive reply).",
         blocked_inputs);
  metric(out, "haven_conversation_unopenable_total", "counter",
         "Stored messages that no configured data key opens (a missing old key).", unopenable);
}

} // namespace haven::sessions
