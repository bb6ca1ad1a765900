#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace haven::test {

/// A real PostgreSQL + Redis + NATS started by `scripts/dev up` in a fresh
/// temporary folder on free ports; `scripts/dev destroy` (stop, delete every
/// file, PostgreSQL's included) in the destructor. Services are named "postgres", "redis" and
/// "nats". Throws std::runtime_error when the stack cannot be started.
class stack {
 public:
  stack();
  ~stack();
  stack(const stack&) = delete;
  stack& operator=(const stack&) = delete;

  void stop(const std::string& service);  // scripts/dev stop SERVICE
  void start(const std::string& service); // scripts/dev start SERVICE
  void down();                            // scripts/dev down (idempotent)

  /// SIGSTOP / SIGCONT the processes listening on the service's port and their
  /// children (PostgreSQL backends): a server that hangs without closing sockets.
  void freeze(const std::string& service);
  void thaw(const std::string& service);
  /// Thaws and starts whatever a test left frozen or stopped.
  void restore();

  uint16_t pg_port() const { return pg_port_; }
  uint16_t redis_port() const { return redis_port_; }
  uint16_t nats_port() const { return nats_port_; }
  std::string pg_url() const;    // postgresql://postgres@127.0.0.1:PORT/haven
  std::string redis_url() const; // redis://127.0.0.1:PORT/0
  std::string nats_url() const;  // nats://127.0.0.1:PORT
  const std::string& dir() const { return dir_; }

 private:
  void run(const std::string& args);
  uint16_t port_of(const std::string& service) const;

  std::string dir_;
  uint16_t pg_port_ = 0;
  uint16_t redis_port_ = 0;
  uint16_t nats_port_ = 0;
  bool up_ = false;
  std::vector<std::string> stopped_;
  std::map<std::string, std::vector<int>> frozen_;
};

/// `n` distinct TCP ports on 127.0.0.1 that were free a moment ago (bound to
/// port 0 all at once, then released).
std::vector<uint16_t> free_ports(int n);

/// A socket that listens but never accepts or writes: the kernel completes
/// the TCP handshake, then clients wait forever for the server to speak.
class black_hole {
 public:
  black_hole();
  ~black_hole();
  black_hole(const black_hole&) = delete;
  black_hole& operator=(const black_hole&) = delete;
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

} // namespace haven::test
