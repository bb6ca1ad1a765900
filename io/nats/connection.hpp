#pragma once

#include <memory>
#include <string>

#include <caf/actor_addr.hpp>
#include <caf/atom.hpp>
#include <nats/nats.h>

#include "base/backoff.hpp"

namespace haven::config {
struct settings;
}

namespace haven::nats {

/// Sent (conn_atom, bool connected) to the observer from NATS threads.
using conn_atom = caf::atom_constant<caf::atom("natsconn")>;
constexpr conn_atom conn_atom_v = conn_atom{};

/// The node's one natsConnection: servers from nats_urls, name = node id,
/// reconnects forever with backoff + jitter (backoff.hpp), retries a failed
/// first connect in the background (start-up never fails because NATS is
/// down), SendAsap on, pings every 5 s so a dead server is noticed quickly.
/// libnats is thread-safe: actors on several threads may share it.
class connection {
 public:
  /// Creates the connection. Blocks at most one connect timeout (1 s) per
  /// URL for the first attempt. Returns nullptr and sets `err` only for
  /// settings libnats refuses (no URL, a malformed URL).
  static std::shared_ptr<connection> open(const config::settings& cfg, std::string& err,
                                          backoff_policy policy = {});
  ~connection(); // closes: stops reconnecting, ends every subscription
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  natsConnection* get() const { return nc_; }
  bool connected() const;

  /// Connection changes go to `observer` from now on (weak: it may die first).
  void observe(caf::actor_addr observer);

  struct callbacks; // the C callbacks' closure; freed by libnats' closed callback

 private:
  connection() = default;
  natsConnection* nc_ = nullptr;
  callbacks* cb_ = nullptr;
};

} // namespace haven::nats
