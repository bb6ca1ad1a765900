#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/io/broker.hpp>
#include <simdjson.h>

#include "config/settings.hpp"
#include "io/http/edge.hpp"
#include "io/http/request_id.hpp"
#include "io/http/request_parser.hpp"
#include "io/metrics/http_metrics.hpp"
#include "messages/health.hpp"

namespace haven::http {

using clock = std::chrono::steady_clock;

/// All state of the HTTP edge broker; its methods are the broker's handlers.
/// Runs on one thread (the middleman's), so nothing here needs a lock.
class edge_state : public std::enable_shared_from_this<edge_state> {
 public:
  edge_state(caf::io::broker* self, edge_options opts);

  caf::expected<uint16_t> open();
  void on_connection(caf::io::connection_handle hdl);
  void on_data(caf::io::connection_handle hdl, const std::vector<char>& buf);
  void on_closed(caf::io::connection_handle hdl);
  /// CAF wrote buffered bytes; `remaining` is what it still holds.
  void on_written(caf::io::connection_handle hdl, size_t remaining);
  void on_tick();
  void on_health(health_snapshot snapshot) {
    health_ = std::move(snapshot);
    health_body_.clear(); // rebuilt by the next GET /health
  }
  void on_ready(bool ready) { ready_ = ready; }
  void on_drain();

  /// Called by responders: stores the answer and writes what is in order.
  void complete(caf::io::connection_handle hdl, uint64_t seq, response r);
  /// Called by responders: headers that every answer to this request carries
  /// (e.g. the rate-limit headers decided before the handler ran).
  void add_header_lines(caf::io::connection_handle hdl, uint64_t seq, std::string lines);

 private:
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
    request_parser parser;
    std::string remote;
    uint64_t next_seq = 0;           // seq of the next request parsed
    uint64_t next_write = 0;         // seq of the oldest unanswered request (slots.front())
    std::deque<slot> slots;          // unanswered requests in order
    bool closing = false;            // read no more requests; close once answered
    clock::time_point waiting_since; // when it last started waiting for a request
    bool caf_writing = false;        // CAF holds unsent bytes: append behind them
  };

  void dispatch(caf::io::connection_handle hdl, connection& c, const request& req);
  void reject(caf::io::connection_handle hdl, connection& c, parse_error err);
  uint64_t open_slot(connection& c, const request* req);
  /// The unanswered slot `seq` of connection `hdl` (and the connection), or
  /// nullptr when the connection closed or the request was already answered.
  slot* find_slot(caf::io::connection_handle hdl, uint64_t seq, connection** conn = nullptr);
  void write_ready(caf::io::connection_handle hdl, connection& c);
  /// Sends on the socket at once when nothing is queued (one syscall instead
  /// of CAF's write-interest round trip); the rest goes through CAF in order.
  void send_bytes(caf::io::connection_handle hdl, connection& c, const char* data, size_t size);
  void close(caf::io::connection_handle hdl);
  void maybe_finish_drain();
  bool idle(const connection& c) const { return c.slots.empty() && !c.parser.in_progress(); }

  response health_response() const;
  response ready_response(const std::string& request_id) const;
  response metrics_response() const;
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
  uint64_t connections_timed_out_ = 0;
  long date_second_ = 0;
  std::string date_;
  std::string out_;           // scratch buffer for serialization
  bool direct_writes_ = true; // off when a handle turns out not to be its socket
  bool direct_checked_ = false;
};

} // namespace haven::http
