#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/io/broker.hpp>
#include <simdjson.h>

#include "base/log/access_log.hpp"
#include "config/settings.hpp"
#include "io/http/edge.hpp"
#include "io/http/request_id.hpp"
#include "io/http/request_parser.hpp"
#include "io/metrics/http_metrics.hpp"
#include "messages/health.hpp"

namespace haven::http {

using clock = std::chrono::steady_clock;

/// The HTTP server: connections, parsing, pipelining, dispatch, answers. Its
/// methods are the edge broker's handlers (edge.cpp).
/// Runs on one thread (the middleman's), so nothing here needs a lock.
class http_server : public std::enable_shared_from_this<http_server> {
 public:
  http_server(caf::io::broker* self, edge_options opts);

  caf::expected<uint16_t> open();
  void on_connection(caf::io::connection_handle hdl);
  void on_data(caf::io::connection_handle hdl, const std::vector<char>& buf);
  void on_closed(caf::io::connection_handle hdl);
  /// CAF wrote `written` buffered bytes; `remaining` is what it still holds.
  void on_written(caf::io::connection_handle hdl, uint64_t written, uint64_t remaining);
  void on_tick();
  void on_health(health_snapshot snapshot) {
    health_ = std::move(snapshot);
    health_body_.clear(); // rebuilt by the next GET /health
  }
  void on_ready(bool ready) { ready_ = ready; }
  void on_drain();
  /// A NATS rpc request (API.md section 9): runs the HTTP route it stands for
  /// (same handlers, token checks and rate-limit buckets) and publishes the
  /// answer to the requester's inbox.
  void on_rpc(const bus_message& m);

  /// Called by responders: stores the answer and writes what is in order. An
  /// answer for a connection that is gone (even if its handle now names a
  /// newer connection) is dropped and counted.
  void complete(caf::io::connection_handle hdl, uint64_t conn_id, uint64_t seq, response r);
  /// Called by responders: headers that every answer to this request carries
  /// (e.g. the rate-limit headers decided before the handler ran).
  void add_header_lines(caf::io::connection_handle hdl, uint64_t conn_id, uint64_t seq,
                        std::string lines);

 private:
  /// An rpc request from parse to published answer.
  struct rpc_call {
    std::string reply; // the requester's inbox
    std::string request_id;
    std::string_view route = "unmatched";
    const char* method = "OTHER";
    clock::time_point start;
  };
  /// One request of a connection, from parse to written answer.
  struct slot {
    clock::time_point start;
    std::string request_id;
    std::string_view route = "unmatched";
    const char* method = "OTHER";
    bool head = false;
    bool keep_alive = true;
    bool done = false;
    response answer;
    std::string extra_header_lines; // added before the answer
  };
  struct connection {
    explicit connection(parser_limits limits) : parser(std::move(limits)) {}
    uint64_t id = 0; // never reused while the process lives (handles are)
    request_parser parser;
    std::string remote;
    std::string address_key;          // remote as counted by the per-address limit ("" = exempt)
    uint64_t next_seq = 0;            // seq of the next request parsed
    uint64_t next_write = 0;          // seq of the oldest unanswered request (slots.front())
    std::deque<slot> slots;           // unanswered requests in order
    bool closing = false;             // read no more requests; close once answered
    clock::time_point waiting_since;  // when it last started waiting for a request
    bool caf_writing = false;         // CAF holds unsent bytes: append behind them
    size_t unsent = 0;                // bytes CAF still holds for this connection
    clock::time_point write_progress; // last time CAF's queue moved (write timeout)
    size_t held = 0;                  // request bytes counted in held_request_bytes_
    bool reading = true;              // false while reading is halted (backpressure)
    bool pumping = false;             // inside pump(): answers must not re-enter it
  };

  /// Parses and dispatches what the connection has buffered, up to the
  /// pipeline limit, then decides whether to keep reading from the socket.
  /// False when the connection was closed meanwhile.
  bool pump(caf::io::connection_handle hdl, connection& c);
  /// Halts or resumes reading: halted while the pipeline is full, unsent
  /// output is above its limit, or unparsed bytes are waiting.
  void update_reading(caf::io::connection_handle hdl, connection& c);
  /// After answers left or output drained: parse what waited, or read again.
  void resume(caf::io::connection_handle hdl, connection& c);
  /// Below the pipeline limit and the unsent-output limit.
  bool can_take_more(const connection& c) const {
    return c.slots.size() < cfg_.max_pipeline && c.unsent < cfg_.max_unsent_bytes;
  }
  /// Re-counts the request bytes this connection holds in the node-wide budget.
  void recount_held(connection& c);
  void dispatch(caf::io::connection_handle hdl, connection& c, const request& req);
  /// Routes `req` and runs its handler (HTTP and rpc alike); `route_out` is
  /// set to the matched pattern before the handler runs (it may answer at once).
  void route_request(const request& req, std::string_view remote, const responder& reply,
                     std::string_view* route_out);
  void complete_rpc(uint64_t call_id, response r);
  /// Publishes an rpc answer that did not come from a route.
  void answer_rpc(const std::string& reply, const std::string& request_id, int status,
                  const std::string& body);
  void expire_rpc_calls(clock::time_point now);
  void reject(caf::io::connection_handle hdl, connection& c, parse_error err);
  uint64_t open_slot(connection& c, const request* req);
  /// The unanswered slot `seq` of connection `hdl` (and the connection), or
  /// nullptr when the connection closed or the request was already answered.
  slot* find_slot(caf::io::connection_handle hdl, uint64_t conn_id, uint64_t seq,
                  connection** conn = nullptr);
  void write_ready(caf::io::connection_handle hdl, connection& c);
  /// Sends on the socket at once when nothing is queued (one syscall instead
  /// of CAF's write-interest round trip); the rest goes through CAF in order.
  void send_bytes(caf::io::connection_handle hdl, connection& c, const char* data, size_t size);
  void close(caf::io::connection_handle hdl);
  /// Closes without waiting for unsent output (a client that never reads).
  void abort(caf::io::connection_handle hdl);
  void forget(caf::io::connection_handle hdl);
  /// Answers a connection at once, outside its pipeline, and closes it.
  void refuse(caf::io::connection_handle hdl, int status, std::string_view code,
              std::string_view message);
  size_t body_limit_for(const request& head) const;
  void maybe_finish_drain();
  bool idle(const connection& c) const { return c.slots.empty() && !c.parser.in_progress(); }

  response health_response() const;
  response ready_response(const std::string& request_id) const;
  response metrics_response() const;
  void render_metrics(std::string& out) const;
  const std::string& date();

  caf::io::broker* self_;
  edge_options opts_;
  const config::settings& cfg_;
  router router_;
  std::vector<route_entry> routes_; // index = router handler id
  size_t builtin_health_, builtin_ready_, builtin_metrics_;
  std::unordered_map<caf::io::connection_handle, std::unique_ptr<connection>> conns_;
  caf::io::accept_handle acceptor_;
  request_id_generator ids_;
  simdjson::dom::parser json_;
  metrics::http_metrics metrics_;
  log::access_log access_log_;
  health_snapshot health_;
  // The /health answer changes with a snapshot or with uptime_s: built once
  // per second at most instead of once per request.
  mutable std::string health_body_;
  mutable int health_status_ = 200;
  mutable int64_t health_uptime_s_ = -1;
  bool ready_ = false;
  bool draining_ = false;
  clock::time_point drain_deadline_;
  clock::time_point started_ = clock::now();
  uint64_t connections_refused_ = 0;
  uint64_t connections_refused_per_addr_ = 0;
  uint64_t connections_timed_out_ = 0;
  uint64_t connections_write_timed_out_ = 0;
  uint64_t late_answers_dropped_ = 0;
  uint64_t reads_paused_ = 0;
  uint64_t requests_refused_buffer_budget_ = 0;
  uint64_t next_conn_id_ = 1; // also names rpc calls: ids never collide
  std::unordered_map<uint64_t, rpc_call> rpc_calls_;
  std::string rpc_prefix_; // "<prefix>.rpc."
  uint64_t rpc_requests_ = 0;
  uint64_t rpc_refused_reply_subject_ = 0;
  uint64_t rpc_refused_overloaded_ = 0;
  uint64_t rpc_expired_ = 0;
  size_t held_request_bytes_ = 0; // request bytes buffered across all connections
  std::unordered_map<std::string, uint32_t> conns_per_address_;
  // /metrics is rendered at most once per second: a client pipelining it
  // cannot make the edge thread build the page per request.
  mutable std::string metrics_body_;
  mutable clock::time_point metrics_built_{};
  long date_second_ = 0;
  std::string date_;
  std::string out_;           // scratch buffer for serialization
  bool direct_writes_ = true; // off when a handle turns out not to be its socket
  bool direct_checked_ = false;
};

} // namespace haven::http
