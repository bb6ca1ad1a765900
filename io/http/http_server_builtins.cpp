// The edge's own routes: /health, /ready and /metrics answer from state the
// edge already holds (pushed health snapshots, its own counters), so they
// never cost a round trip to a store or another actor.
#include <caf/all.hpp>

#include "base/json/json_writer.hpp"
#include "base/log/log.hpp"
#include "io/http/http_server.hpp"

namespace haven::http {

namespace {

void write_check(json::writer& w, std::string_view name, const probe_result& p) {
  w.key(name).begin_object();
  w.field("status", p.up ? "ok" : "down");
  w.key("latency_ms").value(p.latency_ms);
  w.end_object();
}

} // namespace

response http_server::health_response() const {
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(clock::now() - started_).count();
  if (!health_body_.empty() && uptime == health_uptime_s_)
    return json_response(health_status_, health_body_);
  const health_overall overall = health_.overall; // the health actor's verdict
  json::writer w;
  w.begin_object();
  w.field("status", to_string(overall));
  w.field("version", opts_.version);
  w.field("node_id", cfg_.node_id);
  w.field("uptime_s", static_cast<int64_t>(uptime));
  w.key("checks").begin_object();
  write_check(w, "postgres", health_.postgres);
  write_check(w, "redis", health_.redis);
  write_check(w, "nats", health_.nats);
  w.end_object();
  w.end_object();
  health_body_ = std::move(w).str();
  // API.md section 8: degraded still serves (200); unhealthy is 503.
  health_status_ = overall == health_overall::unhealthy ? 503 : 200;
  health_uptime_s_ = uptime;
  return json_response(health_status_, health_body_);
}

response http_server::ready_response(const std::string& request_id) const {
  if (ready_ && !draining_)
    return json_response(200, R"({"status":"ready"})");
  auto r = error_response(503, "dependency_unavailable",
                          draining_ ? "node is shutting down" : "node is starting: not ready yet",
                          request_id);
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

response http_server::metrics_response() const {
  auto now = clock::now();
  if (metrics_body_.empty() || now - metrics_built_ >= std::chrono::seconds(1)) {
    metrics_body_.clear();
    render_metrics(metrics_body_);
    metrics_built_ = now;
  }
  response r;
  r.body = metrics_body_;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

void http_server::render_metrics(std::string& out) const {
  out.reserve(16384);
  metrics_.render(out);
  using metrics::append_header;
  using metrics::append_metric;
  using metrics::append_sample;
  append_metric(out, "haven_http_connections", "gauge", "Open HTTP connections.",
                static_cast<double>(conns_.size()));
  append_metric(out, "haven_http_connections_refused_total", "counter",
                "Connections refused because the node was at HAVEN_MAX_CONNECTIONS.",
                static_cast<double>(connections_refused_));
  append_metric(out, "haven_http_connections_refused_per_address_total", "counter",
                "Connections refused because their address was at HAVEN_MAX_CONNECTIONS_PER_ADDR.",
                static_cast<double>(connections_refused_per_addr_));
  append_metric(out, "haven_http_connections_timed_out_total", "counter",
                "Connections closed by the header timeout.",
                static_cast<double>(connections_timed_out_));
  append_metric(out, "haven_http_connections_write_timed_out_total", "counter",
                "Connections cut because their answers stayed unread for HAVEN_WRITE_TIMEOUT_MS.",
                static_cast<double>(connections_write_timed_out_));
  append_metric(out, "haven_http_late_answers_dropped_total", "counter",
                "Answers dropped because their connection closed before they were ready.",
                static_cast<double>(late_answers_dropped_));
  append_metric(out, "haven_http_reads_paused_total", "counter",
                "Times reading from a connection was halted (pipeline full or answers unread).",
                static_cast<double>(reads_paused_));
  append_metric(out, "haven_rpc_requests_total", "counter",
                "NATS rpc requests received (API.md section 9).",
                static_cast<double>(rpc_requests_));
  append_header(out, "haven_rpc_refused_total", "counter",
                "NATS rpc requests not run: a reply subject that is not an inbox (never "
                "answered), or too many in flight (503).");
  append_sample(out, "haven_rpc_refused_total", "reason=\"reply_subject\"",
                static_cast<double>(rpc_refused_reply_subject_));
  append_sample(out, "haven_rpc_refused_total", "reason=\"overloaded\"",
                static_cast<double>(rpc_refused_overloaded_));
  append_metric(out, "haven_rpc_in_flight", "gauge", "NATS rpc requests being answered.",
                static_cast<double>(rpc_calls_.size()));
  append_metric(out, "haven_rpc_expired_total", "counter",
                "NATS rpc requests forgotten because no answer came (backstop).",
                static_cast<double>(rpc_expired_));
  append_metric(out, "haven_log_lines_dropped_total", "counter",
                "Log lines dropped because the output could not keep up (access lines first).",
                static_cast<double>(log::dropped_lines()));
  append_metric(out, "haven_http_buffered_request_bytes", "gauge",
                "Request bytes held across all connections.",
                static_cast<double>(held_request_bytes_));
  append_metric(out, "haven_http_buffer_budget_refusals_total", "counter",
                "Requests answered 503 because HAVEN_MAX_BUFFERED_REQUEST_BYTES was reached.",
                static_cast<double>(requests_refused_buffer_budget_));
  append_header(out, "haven_store_up", "gauge", "1 when the store answered its last probe.");
  append_sample(out, "haven_store_up", "store=\"postgres\"", health_.postgres.up ? 1 : 0);
  append_sample(out, "haven_store_up", "store=\"redis\"", health_.redis.up ? 1 : 0);
  append_sample(out, "haven_store_up", "store=\"nats\"", health_.nats.up ? 1 : 0);
  append_header(out, "haven_store_probe_latency_ms", "gauge",
                "Latency of the last probe of each store.");
  append_sample(out, "haven_store_probe_latency_ms", "store=\"postgres\"",
                health_.postgres.latency_ms);
  append_sample(out, "haven_store_probe_latency_ms", "store=\"redis\"", health_.redis.latency_ms);
  append_sample(out, "haven_store_probe_latency_ms", "store=\"nats\"", health_.nats.latency_ms);
  auto& pool = health_.pool;
  append_header(out, "haven_pg_pool_connections", "gauge", "PostgreSQL pool workers by state.");
  append_sample(out, "haven_pg_pool_connections", "state=\"in_use\"", pool.in_use);
  append_sample(out, "haven_pg_pool_connections", "state=\"idle\"", pool.idle);
  append_sample(out, "haven_pg_pool_connections", "state=\"connected\"", pool.connected);
  append_metric(out, "haven_pg_pool_queued", "gauge",
                "Batches waiting for a PostgreSQL connection.", pool.queued);
  append_header(out, "haven_pg_pool_batches_total", "counter", "PostgreSQL batches by outcome.");
  append_sample(out, "haven_pg_pool_batches_total", "outcome=\"served\"",
                static_cast<double>(pool.served));
  append_sample(out, "haven_pg_pool_batches_total", "outcome=\"error\"",
                static_cast<double>(pool.errors));
  append_sample(out, "haven_pg_pool_batches_total", "outcome=\"rejected\"",
                static_cast<double>(pool.rejected));
  append_metric(out, "haven_outbox_depth", "gauge", "Outbox events waiting for NATS (-1: unknown).",
                static_cast<double>(health_.outbox_depth));
  append_metric(out, "haven_bus_connected", "gauge", "1 when the NATS connection is up.",
                health_.nats.up ? 1 : 0);
  append_metric(out, "haven_ready", "gauge",
                "1 when the node serves (migrations applied, not draining).",
                ready_ && !draining_ ? 1 : 0);
  append_metric(out, "haven_uptime_seconds", "gauge", "Seconds since the node started.",
                std::chrono::duration<double>(clock::now() - started_).count());
  append_header(out, "haven_build_info", "gauge", "Version of the running binary.");
  append_sample(out, "haven_build_info", "version=\"" + opts_.version + "\"", 1);
  if (opts_.metrics_hook)
    opts_.metrics_hook(out);
}

} // namespace haven::http
