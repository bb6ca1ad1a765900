#include "io/nats/nats_probe.hpp"

namespace haven {

namespace {

// libnats only retries a failed first connect in the background when a
// "connected" callback is given; with NULL, natsConnection_Connect retries
// synchronously MaxReconnect times, i.e. forever with -1. So pass a no-op.
void on_connected(natsConnection*, void*) {}

const char* status_name(natsConnStatus st) {
  switch (st) {
    case NATS_CONN_STATUS_DISCONNECTED:
      return "not connected (disconnected)";
    case NATS_CONN_STATUS_CONNECTING:
      return "not connected (connecting)";
    case NATS_CONN_STATUS_RECONNECTING:
      return "not connected (reconnecting)";
    case NATS_CONN_STATUS_CLOSED:
      return "not connected (closed)";
    default:
      return "not connected (draining)";
  }
}

// Short, fixed texts only: nats_GetLastError() may quote a URL with credentials.
std::string error_text(const char* what, natsStatus s) {
  return std::string{what} + ": " + natsStatus_GetText(s);
}

} // namespace

nats_probe::nats_probe(std::vector<std::string> urls) {
  std::vector<const char*> servers;
  for (const auto& u : urls)
    servers.push_back(u.c_str());
  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts); // also initialises the library once
  const char* step = "options";
  if (s == NATS_OK && servers.empty())
    s = NATS_INVALID_ARG;
  if (s == NATS_OK)
    s = natsOptions_SetServers(opts, servers.data(), static_cast<int>(servers.size()));
  if (s == NATS_OK)
    s = natsOptions_SetRetryOnFailedConnect(opts, true, on_connected, nullptr);
  if (s == NATS_OK)
    s = natsOptions_SetMaxReconnect(opts, -1); // negative: forever
  if (s == NATS_OK)
    s = natsOptions_SetReconnectWait(opts, 250);
  if (s == NATS_OK)
    s = natsOptions_SetSendAsap(opts, true);
  if (s == NATS_OK) // bounds each TCP connect plus the wait for the server's INFO/PONG
    s = natsOptions_SetTimeout(opts, 1000);
  if (s == NATS_OK)
    s = natsOptions_SetName(opts, "haven-health");
  if (s == NATS_OK) {
    step = "connect";
    s = natsConnection_Connect(&conn_, opts);
    if (s == NATS_NOT_YET_CONNECTED) // retried in the background
      s = NATS_OK;
  }
  if (s != NATS_OK) {
    setup_error_ = error_text(step, s);
    natsConnection_Destroy(conn_); // NULL-safe
    conn_ = nullptr;
  }
  natsOptions_Destroy(opts); // the connection keeps its own copy
}

nats_probe::~nats_probe() {
  if (conn_ != nullptr) {
    natsConnection_Close(conn_); // stops the reconnect thread, releases waiters
    natsConnection_Destroy(conn_);
  }
}

probe_result nats_probe::ping(std::chrono::milliseconds timeout) {
  probe_result res;
  if (conn_ == nullptr) {
    res.error = setup_error_;
    return res;
  }
  // Only flush when connected: while reconnecting the library would buffer the PING.
  natsConnStatus st = natsConnection_Status(conn_);
  if (st != NATS_CONN_STATUS_CONNECTED) {
    res.error = status_name(st);
    return res;
  }
  const auto start = std::chrono::steady_clock::now();
  const int64_t ms = timeout.count() > 0 ? timeout.count() : 1; // 0 is invalid for libnats
  natsStatus s = natsConnection_FlushTimeout(conn_, ms);
  res.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  res.up = s == NATS_OK;
  if (!res.up)
    res.error = error_text("flush", s);
  return res;
}

} // namespace haven
