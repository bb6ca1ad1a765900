#include "io/http/http_server.hpp"

#include <cerrno>
#include <ctime>

#include <netinet/in.h>
#include <sys/socket.h>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "base/log/log.hpp"
#include "io/http/client_address.hpp"
#include "io/http/error_mapping.hpp"
#include "io/http/rpc_bridge.hpp"

namespace haven::http {

namespace {

// CAF 0.17 shrinks the read buffer to what arrived and zero-fills it back to
// this size before every read: 16 KiB cost a 16 KiB memset per request
// (~3 % of CPU, more in cache misses). Requests are far smaller; a large body
// just takes more reads. /health 191k -> 220k req/s (docs/benchmarks.md).
constexpr size_t read_chunk = 4 * 1024;

// rpc requests being answered at once, node-wide: beyond this an rpc client
// gets 503 overloaded at once instead of the node queueing without bound.
constexpr size_t max_rpc_in_flight = 4096;
// An rpc call whose handler never answered is forgotten this long after the
// request timeout (handlers answer on their own timeout; this is a backstop).
constexpr auto rpc_grace = std::chrono::seconds(5);

// "Bearer <compact JWS>": the shape of a credential, checked before a route's
// larger body limit applies (the token itself is verified later, by the route).
bool has_bearer_shape(const std::string* authorization) {
  if (authorization == nullptr || authorization->size() < 7 + 5 ||
      !iequals_ascii(std::string_view{*authorization}.substr(0, 7), "bearer "))
    return false;
  size_t dots = 0;
  for (size_t i = 7; i < authorization->size(); ++i) {
    char c = (*authorization)[i];
    if (c == '.')
      ++dots;
    else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_'))
      return false;
  }
  return dots == 2;
}

int socket_of(caf::io::connection_handle hdl) {
  // CAF 0.17's default multiplexer names a scribe by its native socket.
  return static_cast<int>(hdl.id());
}

uint16_t peer_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return 0;
  if (addr.ss_family == AF_INET)
    return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  if (addr.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return 0;
}

bool is_json_content_type(const std::string* value) {
  if (value == nullptr)
    return false;
  std::string_view v{*value};
  auto semi = v.find(';');
  auto type = v.substr(0, semi);
  while (!type.empty() && type.back() == ' ')
    type.remove_suffix(1);
  if (type.size() != 16)
    return false;
  for (size_t i = 0; i < 16; ++i)
    if (std::tolower(static_cast<unsigned char>(type[i])) != "application/json"[i])
      return false;
  return true;
}

} // namespace

http_server::http_server(caf::io::broker* self, edge_options opts)
    : self_(self), opts_(std::move(opts)), cfg_(*opts_.cfg) {
  auto builtin = [this](std::string pattern, response (http_server::*fn)() const) {
    routes_.push_back({method::get, std::move(pattern),
                       [this, fn](exchange& ex) { ex.reply.send((this->*fn)()); }});
    return routes_.size() - 1;
  };
  builtin_health_ = builtin("/health", &http_server::health_response);
  builtin_metrics_ = builtin("/metrics", &http_server::metrics_response);
  routes_.push_back({method::get, "/ready", [this](exchange& ex) {
                       ex.reply.send(ready_response(ex.reply.request_id()));
                     }});
  builtin_ready_ = routes_.size() - 1;
  for (auto& r : opts_.routes) {
    if (opts_.decorate)
      opts_.decorate(r);
    routes_.push_back(std::move(r));
  }
  opts_.routes.clear();
  for (size_t i = 0; i < routes_.size(); ++i)
    router_.add(routes_[i].verb, routes_[i].pattern, i);
  rpc_prefix_ = cfg_.nats_prefix + ".rpc.";
}

caf::expected<uint16_t> http_server::open() {
  if (acceptor_ != caf::io::accept_handle{})
    return self_->local_port(acceptor_);
  const char* host = cfg_.http_host.empty() ? nullptr : cfg_.http_host.c_str();
  auto res = self_->add_tcp_doorman(cfg_.http_port, host, true);
  if (!res)
    return std::move(res.error());
  acceptor_ = res->first;
  return res->second;
}

void http_server::on_connection(caf::io::connection_handle hdl) {
  if (draining_ || conns_.size() >= cfg_.max_connections) {
    // Shed load quickly with a clear answer instead of queueing (ARCHITECTURE rule 4).
    ++connections_refused_;
    refuse(hdl, 503, "overloaded", "too many connections, retry later");
    return;
  }
  auto remote = self_->remote_addr(hdl);
  // Behind a load balancer every client shares the proxy's address: only
  // direct clients are limited per address.
  std::string key =
      is_trusted_proxy(remote, cfg_.trusted_proxies) ? std::string{} : address_key(remote);
  if (!key.empty()) {
    auto held = conns_per_address_.find(key);
    if (held != conns_per_address_.end() && held->second >= cfg_.max_connections_per_addr) {
      ++connections_refused_per_addr_;
      refuse(hdl, 503, "overloaded", "too many connections from this address, retry later");
      return;
    }
  }
  parser_limits limits;
  limits.max_header_bytes = cfg_.max_header_bytes;
  limits.max_body_bytes = cfg_.max_body_bytes;
  limits.body_limit_for = [this](const request& head) { return body_limit_for(head); };
  auto c = std::make_unique<connection>(std::move(limits));
  c->id = next_conn_id_++;
  c->remote = std::move(remote);
  if (!key.empty())
    ++conns_per_address_[key];
  c->address_key = std::move(key);
  if (!direct_checked_) {
    // Trust the handle-is-socket rule only after seeing it hold once.
    direct_checked_ = true;
    direct_writes_ = peer_port(socket_of(hdl)) == self_->remote_port(hdl);
    if (!direct_writes_)
      log::warn("direct socket writes disabled: connection handles are not sockets", {});
  }
  c->waiting_since = clock::now();
  conns_.emplace(hdl, std::move(c));
  self_->configure_read(hdl, caf::io::receive_policy::at_most(read_chunk));
  self_->ack_writes(hdl, true); // tells when CAF's queue for it is empty again
}

size_t http_server::body_limit_for(const request& head) const {
  auto match = router_.match(head.verb, head.path);
  if (match.kind != route_match::found)
    return cfg_.max_body_bytes;
  auto limit = routes_[match.handler].max_body_bytes;
  if (limit == 0 || limit <= cfg_.max_body_bytes || !has_bearer_shape(head.header("authorization")))
    return cfg_.max_body_bytes;
  return limit;
}

void http_server::refuse(caf::io::connection_handle hdl, int status, std::string_view code,
                         std::string_view message) {
  auto id = ids_.next();
  auto r = error_response(status, std::string{code}, std::string{message}, id);
  r.headers.emplace_back("Retry-After", "1");
  out_.clear();
  serialize(r, id, date(), false, false, out_);
  self_->write(hdl, out_.size(), out_.data());
  self_->flush(hdl);
  self_->close(hdl);
}

void http_server::on_data(caf::io::connection_handle hdl, const std::vector<char>& buf) {
  auto i = conns_.find(hdl);
  if (i == conns_.end())
    return;
  auto& c = *i->second;
  if (c.closing)
    return;
  c.parser.feed(buf.data(), buf.size());
  recount_held(c);
  if (held_request_bytes_ > cfg_.max_buffered_request_bytes) {
    // The node holds too much of its clients' input: the connection that
    // pushed it over is told so and closed (its bytes are released now).
    ++requests_refused_buffer_budget_;
    c.closing = true;
    c.parser = request_parser{parser_limits{}};
    recount_held(c);
    auto seq = open_slot(c, nullptr);
    auto r = error_response(503, "overloaded", "the node holds too much request data, retry later",
                            c.slots.back().request_id);
    r.headers.emplace_back("Retry-After", "1");
    r.close = true;
    complete(hdl, c.id, seq, std::move(r));
    return;
  }
  if (pump(hdl, c))
    self_->flush(hdl);
}

bool http_server::pump(caf::io::connection_handle hdl, connection& c) {
  const auto id = c.id;
  auto still_open = [&] {
    auto i = conns_.find(hdl);
    return i != conns_.end() && i->second->id == id;
  };
  c.pumping = true;
  request req;
  while (!c.closing && can_take_more(c)) {
    auto status = c.parser.next(req);
    if (status == parse_status::need_more) {
      // curl and others wait for this before sending a large body.
      if (c.parser.take_expect_continue() && c.slots.empty()) {
        static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
        send_bytes(hdl, c, cont.data(), cont.size());
      }
      break;
    }
    if (status == parse_status::error)
      reject(hdl, c, c.parser.error());
    else
      dispatch(hdl, c, req);
    if (!still_open())
      return false; // closed while answering
  }
  c.pumping = false;
  recount_held(c);
  update_reading(hdl, c);
  return true;
}

void http_server::resume(caf::io::connection_handle hdl, connection& c) {
  if (c.pumping || c.closing)
    return;
  if (c.parser.buffered() > 0 && can_take_more(c)) {
    if (pump(hdl, c))
      self_->flush(hdl);
  } else {
    update_reading(hdl, c);
  }
}

void http_server::recount_held(connection& c) {
  size_t now_held = c.parser.buffered() + c.parser.partial().body.size();
  held_request_bytes_ = held_request_bytes_ - c.held + now_held;
  c.held = now_held;
}

void http_server::update_reading(caf::io::connection_handle hdl, connection& c) {
  // Stop taking bytes from a client while it has a full pipeline (unparsed
  // requests may wait behind it) or a backlog of answers it does not read:
  // what it sends then waits in the kernel's buffers, not in ours.
  bool keep_reading = !c.closing && can_take_more(c);
  if (keep_reading == c.reading)
    return;
  c.reading = keep_reading;
  if (keep_reading) {
    self_->trigger(hdl);
  } else {
    ++reads_paused_;
    self_->halt(hdl);
  }
}

uint64_t http_server::open_slot(connection& c, const request* req) {
  slot s;
  s.start = clock::now();
  const std::string* client_id = req != nullptr ? req->header("x-request-id") : nullptr;
  s.request_id = client_id != nullptr && is_valid_request_id(*client_id) ? *client_id : ids_.next();
  if (req != nullptr) {
    s.method = to_string(req->verb);
    s.head = req->verb == method::head;
    s.keep_alive = req->keep_alive && !draining_;
  } else {
    s.keep_alive = false;
  }
  c.slots.push_back(std::move(s));
  return c.next_seq++;
}

void http_server::dispatch(caf::io::connection_handle hdl, connection& c, const request& req) {
  auto seq = open_slot(c, &req);
  auto& s = c.slots.back();
  responder reply{weak_from_this(), hdl, c.id, seq, s.request_id};
  route_request(req, c.remote, reply, &s.route);
}

void http_server::route_request(const request& req, std::string_view remote, const responder& reply,
                                std::string_view* route_out) {
  auto match = router_.match(req.verb, req.path);
  if (match.kind != route_match::not_found)
    *route_out = match.pattern;
  if (match.kind == route_match::not_found) {
    reply.send(error_response(404, "not_found", "no such route", reply.request_id()));
    return;
  }
  if (match.kind == route_match::method_not_allowed) {
    auto r = error_response(405, "method_not_allowed", "method not allowed on this route",
                            reply.request_id());
    r.headers.emplace_back("Allow", match.allow);
    reply.send(std::move(r));
    return;
  }
  auto& route = routes_[match.handler];
  simdjson::dom::element body;
  const simdjson::dom::element* json = nullptr;
  if (route.json_body && !req.body.empty()) {
    if (!is_json_content_type(req.header("content-type"))) {
      reply.send(error_response(415, "unsupported_media_type",
                                "send the body as Content-Type: application/json",
                                reply.request_id()));
      return;
    }
    // simdjson validates UTF-8 as part of parsing: one check for both rules.
    if (json_.parse(req.body).get(body) != simdjson::SUCCESS) {
      reply.send(error_response(400, "invalid_json", "request body is not valid JSON (UTF-8)",
                                reply.request_id()));
      return;
    }
    json = &body;
  }
  exchange ex{self_, req, match, json, remote, std::chrono::milliseconds(cfg_.request_timeout_ms),
              reply};
  try {
    route.fn(ex);
  } catch (const std::exception& e) {
    log::error("handler threw", {{"request_id", reply.request_id()}, {"route", match.pattern}});
    reply.send(error_response(500, "internal", "internal error", reply.request_id()));
  }
}

void http_server::reject(caf::io::connection_handle hdl, connection& c, parse_error err) {
  // Only a body over the limit comes after complete, trustworthy headers.
  const request* partial = err == parse_error::body_too_large ? &c.parser.partial() : nullptr;
  open_slot(c, partial);
  if (partial != nullptr) {
    auto match = router_.match(partial->verb, partial->path);
    if (match.kind != route_match::not_found)
      c.slots.back().route = match.pattern;
  }
  auto& rid = c.slots.back().request_id;
  auto seq = c.next_seq - 1;
  c.closing = true; // the stream cannot be trusted after a framing error
  response r;
  switch (err) {
    case parse_error::headers_too_large:
      r = error_response(431, "headers_too_large", "request line and headers exceed the limit",
                         rid);
      break;
    case parse_error::body_too_large:
      r = error_response(413, "payload_too_large", "request body exceeds the limit", rid);
      break;
    case parse_error::length_required:
      r = error_response(411, "length_required", "send Content-Length or chunked encoding", rid);
      break;
    case parse_error::unsupported_version:
      r = error_response(505, "http_version_not_supported", "use HTTP/1.1", rid);
      break;
    default:
      r = error_response(400, "bad_request", "malformed HTTP request", rid);
  }
  r.close = true;
  complete(hdl, c.id, seq, std::move(r));
}

http_server::slot* http_server::find_slot(caf::io::connection_handle hdl, uint64_t conn_id,
                                          uint64_t seq, connection** conn) {
  auto i = conns_.find(hdl);
  if (i == conns_.end() || i->second->id != conn_id)
    return nullptr; // the client went away (its handle may name a newer one now)
  auto& c = *i->second;
  if (seq < c.next_write || seq - c.next_write >= c.slots.size())
    return nullptr; // already answered
  if (conn != nullptr)
    *conn = &c;
  return &c.slots[seq - c.next_write];
}

void http_server::complete(caf::io::connection_handle hdl, uint64_t conn_id, uint64_t seq,
                           response r) {
  if (hdl == caf::io::connection_handle{})
    return complete_rpc(conn_id, std::move(r));
  connection* c = nullptr;
  auto* s = find_slot(hdl, conn_id, seq, &c);
  if (s == nullptr) {
    auto i = conns_.find(hdl);
    if (i == conns_.end() || i->second->id != conn_id)
      ++late_answers_dropped_; // its client closed before the answer was ready
    return;
  }
  if (s->done)
    return; // answered twice: the first answer wins
  s->done = true;
  s->answer = std::move(r);
  write_ready(hdl, *c);
}

void http_server::add_header_lines(caf::io::connection_handle hdl, uint64_t conn_id, uint64_t seq,
                                   std::string lines) {
  if (hdl == caf::io::connection_handle{})
    return; // an rpc answer is {status, body}: headers have no place in it
  auto* s = find_slot(hdl, conn_id, seq);
  if (s == nullptr)
    return;
  if (s->extra_header_lines.empty())
    s->extra_header_lines = std::move(lines); // the common case: no copy
  else
    s->extra_header_lines += lines;
}

void http_server::write_ready(caf::io::connection_handle hdl, connection& c) {
  bool close_now = false;
  bool popped = false;
  out_.clear();
  while (!c.slots.empty() && c.slots.front().done) {
    auto& s = c.slots.front();
    bool keep_alive = s.keep_alive && !s.answer.close && !draining_;
    if (s.answer.header_lines.empty())
      s.answer.header_lines = std::move(s.extra_header_lines);
    else
      s.answer.header_lines += s.extra_header_lines;
    serialize(s.answer, s.request_id, date(), keep_alive, s.head, out_);
    auto seconds = std::chrono::duration<double>(clock::now() - s.start).count();
    metrics_.observe(s.route, s.method, s.answer.status, seconds);
    access_log_.write({s.request_id, s.method, s.route, s.answer.status, seconds * 1000, c.remote});
    c.slots.pop_front();
    ++c.next_write;
    popped = true;
    if (!keep_alive) {
      close_now = true;
      break;
    }
  }
  if (c.slots.empty())
    c.waiting_since = clock::now();
  if (!out_.empty())
    send_bytes(hdl, c, out_.data(), out_.size());
  if (close_now || (draining_ && idle(c))) {
    close(hdl);
    return;
  }
  // A late answer freed a place in a full pipeline: parse what waited behind
  // it (not from inside pump(), which is already looping).
  if (popped)
    resume(hdl, c);
}

void http_server::send_bytes(caf::io::connection_handle hdl, connection& c, const char* data,
                             size_t size) {
  if (direct_writes_ && !c.caf_writing) {
    auto sent = ::send(socket_of(hdl), data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent == static_cast<ssize_t>(size))
      return;
    // Partial, would block, or an error: CAF sends the rest (and reports a
    // broken connection as closed).
    if (sent > 0) {
      data += sent;
      size -= static_cast<size_t>(sent);
    }
  }
  auto& buf = self_->wr_buf(hdl);
  buf.insert(buf.end(), data, data + size);
  self_->flush(hdl);
  if (!c.caf_writing)
    c.write_progress = clock::now(); // the write timeout starts now
  c.caf_writing = true;
  c.unsent += size;
}

void http_server::on_written(caf::io::connection_handle hdl, uint64_t written, uint64_t remaining) {
  auto i = conns_.find(hdl);
  if (i == conns_.end())
    return;
  auto& c = *i->second;
  c.unsent = static_cast<size_t>(remaining);
  if (written > 0)
    c.write_progress = clock::now();
  if (remaining == 0) {
    c.caf_writing = false;
    c.waiting_since = clock::now(); // idle from now on, not from the last answer
  }
  if (!c.reading)
    resume(hdl, c);
}

void http_server::forget(caf::io::connection_handle hdl) {
  auto i = conns_.find(hdl);
  if (i == conns_.end())
    return;
  auto& c = *i->second;
  held_request_bytes_ -= c.held;
  if (!c.address_key.empty()) {
    auto a = conns_per_address_.find(c.address_key);
    if (a != conns_per_address_.end() && --a->second == 0)
      conns_per_address_.erase(a);
  }
  conns_.erase(i);
}

void http_server::close(caf::io::connection_handle hdl) {
  // A graceful close: CAF writes what is buffered before closing the socket.
  self_->close(hdl);
  forget(hdl);
  maybe_finish_drain();
}

void http_server::abort(caf::io::connection_handle hdl) {
  // CAF's close waits until its buffer is written, which a client that never
  // reads never allows: shut the socket down so the write fails and CAF
  // releases the connection and its buffer. Reading is resumed so CAF sees
  // the end of the stream even when it was halted.
  if (direct_writes_)
    ::shutdown(socket_of(hdl), SHUT_RDWR);
  self_->trigger(hdl);
  close(hdl);
}

void http_server::on_closed(caf::io::connection_handle hdl) {
  forget(hdl);
  maybe_finish_drain();
}

void http_server::on_tick() {
  access_log_.flush(); // lines reach the log within a tick even when traffic is light
  auto now = clock::now();
  if (!rpc_calls_.empty())
    expire_rpc_calls(now);
  auto timeout = std::chrono::milliseconds(cfg_.header_timeout_ms);
  auto write_timeout = std::chrono::milliseconds(cfg_.write_timeout_ms);
  std::vector<caf::io::connection_handle> expired, stuck;
  for (auto& [hdl, c] : conns_) {
    // Only a connection waiting for (the rest of) a request times out; one
    // waiting for our own answer, or still taking it in, never does...
    if (c->slots.empty() && !c->caf_writing && now - c->waiting_since > timeout)
      expired.push_back(hdl);
    // ...unless it stops taking it in: answers unread for the write timeout.
    else if (c->caf_writing && now - c->write_progress > write_timeout)
      stuck.push_back(hdl);
  }
  for (auto hdl : expired) {
    ++connections_timed_out_;
    close(hdl);
  }
  for (auto hdl : stuck) {
    ++connections_write_timed_out_;
    abort(hdl);
  }
  if (draining_ && now >= drain_deadline_) {
    log::warn("drain deadline reached, closing remaining connections",
              {{"connections", std::to_string(conns_.size()), false}});
    std::vector<caf::io::connection_handle> rest;
    for (auto& kv : conns_)
      rest.push_back(kv.first);
    for (auto hdl : rest)
      abort(hdl);
    access_log_.flush();
    self_->quit();
  }
}

void http_server::on_drain() {
  if (draining_)
    return;
  draining_ = true;
  drain_deadline_ = clock::now() + std::chrono::milliseconds(cfg_.shutdown_deadline_ms);
  self_->close(acceptor_);
  std::vector<caf::io::connection_handle> idle_conns;
  for (auto& [hdl, c] : conns_)
    if (idle(*c))
      idle_conns.push_back(hdl);
  for (auto hdl : idle_conns)
    close(hdl);
  log::info("draining", {{"in_flight_connections", std::to_string(conns_.size()), false}});
  maybe_finish_drain();
}

void http_server::maybe_finish_drain() {
  if (draining_ && conns_.empty()) {
    access_log_.flush();
    self_->quit();
  }
}

const std::string& http_server::date() {
  auto now = std::time(nullptr);
  if (now != date_second_) {
    date_second_ = now;
    date_ = http_date(now);
  }
  return date_;
}

// ---- NATS rpc ingress (API.md section 9) -------------------------------------

void http_server::on_rpc(const bus_message& m) {
  ++rpc_requests_;
  // Never publish where the requester points unless it is an inbox (audit M6).
  if (!is_inbox_subject(m.reply)) {
    ++rpc_refused_reply_subject_;
    return;
  }
  std::string_view subject{m.subject};
  if (subject.compare(0, rpc_prefix_.size(), rpc_prefix_) != 0)
    return;
  subject.remove_prefix(rpc_prefix_.size());
  request req;
  auto mapped = to_http_request(subject, m, req);
  const std::string* client_id = req.header("x-request-id");
  std::string rid =
      client_id != nullptr && is_valid_request_id(*client_id) ? *client_id : ids_.next();
  if (draining_ || rpc_calls_.size() >= max_rpc_in_flight) {
    ++rpc_refused_overloaded_;
    return answer_rpc(m.reply, rid, 503,
                      error_body("overloaded", "the node is busy, retry later", rid));
  }
  if (m.data.size() > cfg_.max_body_bytes)
    return answer_rpc(m.reply, rid, 413,
                      error_body("payload_too_large", "request body exceeds the limit", rid));
  if (mapped == rpc_mapping::unknown_subject)
    return answer_rpc(m.reply, rid, 404, error_body("not_found", "no such rpc subject", rid));
  if (mapped == rpc_mapping::bad_fields)
    return answer_rpc(
        m.reply, rid, 422,
        error_body("validation_failed", "resource_id and stage must be plain path segments", rid));
  auto id = next_conn_id_++;
  auto& call = rpc_calls_[id];
  call.reply = m.reply;
  call.request_id = rid;
  call.method = to_string(req.verb);
  call.start = clock::now();
  responder reply{weak_from_this(), caf::io::connection_handle{}, id, 0, rid};
  // The requester's inbox prefix stands for its address: limits that count by
  // client count per NATS connection.
  route_request(req, rpc_client_key(m.reply), reply, &call.route);
}

void http_server::complete_rpc(uint64_t call_id, response r) {
  auto i = rpc_calls_.find(call_id);
  if (i == rpc_calls_.end())
    return; // expired, or answered twice (the first answer wins)
  auto call = std::move(i->second);
  rpc_calls_.erase(i);
  auto seconds = std::chrono::duration<double>(clock::now() - call.start).count();
  metrics_.observe(call.route, call.method, r.status, seconds);
  access_log_.write({call.request_id, call.method, call.route, r.status, seconds * 1000, "nats"});
  answer_rpc(call.reply, call.request_id, r.status, r.body);
}

void http_server::answer_rpc(const std::string& reply, const std::string& request_id, int status,
                             const std::string& body) {
  if (!opts_.bus)
    return;
  bus_message m{reply, {}, {{"Haven-Request-Id", request_id}}, rpc_reply(status, body)};
  // The requester times out on its own; a failed publish has nobody to tell.
  self_->request(opts_.bus, std::chrono::seconds(5), publish_atom_v, std::move(m))
      .then([](bool) {}, [](caf::error&) {});
}

void http_server::expire_rpc_calls(clock::time_point now) {
  auto limit = std::chrono::milliseconds(cfg_.request_timeout_ms) + rpc_grace;
  for (auto i = rpc_calls_.begin(); i != rpc_calls_.end();) {
    if (now - i->second.start > limit) {
      ++rpc_expired_;
      i = rpc_calls_.erase(i);
    } else {
      ++i;
    }
  }
}

} // namespace haven::http
