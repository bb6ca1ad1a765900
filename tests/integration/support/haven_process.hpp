#pragma once

// The built `haven` binary (path from the compile definition HAVEN_BINARY) as a
// child process of the test: its own temporary folder (also its working
// directory, so relative paths such as the default key folder land there),
// stdout and stderr captured to files in it, the bound port read from the
// "haven <ver> listening on <host>:<port>" line, and helpers to poll /health
// and /ready, signal it and collect its exit code. The destructor kills it
// (SIGKILL) when it is still running and removes the folder.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace haven::test {

class stack;

using env_map = std::map<std::string, std::string>;

/// The environment for a node against `s`: HAVEN_PG_URL, HAVEN_REDIS_URL,
/// HAVEN_NATS_URL, HAVEN_HTTP_ADDR=127.0.0.1:0, HAVEN_ENV=dev, then `extra`
/// (which wins).
env_map node_env(const stack& s, const env_map& extra = {});

/// A one-shot command's outcome.
struct command_result {
  int exit_code = -1; // 128 + signal when killed by a signal; -1 when it timed out
  std::string out;
  std::string err;
};

/// Runs `haven <args...>` to completion with exactly the HAVEN_* variables of
/// `env` (other HAVEN_* variables of the test's own environment are dropped);
/// kills it after `timeout`.
command_result run_haven(const std::vector<std::string>& args, const env_map& env,
                         std::chrono::milliseconds timeout = std::chrono::seconds(20));

class haven_process {
 public:
  /// Starts `haven <args...>` (default: serve) with `env` (HAVEN_* variables of
  /// the test's own environment are dropped first). When `wait_listening` is
  /// true, waits up to 20 s for the listening line and throws
  /// std::runtime_error (with the captured stderr) when it does not come.
  explicit haven_process(const env_map& env, std::vector<std::string> args = {"serve"},
                         bool wait_listening = true);
  ~haven_process();
  haven_process(const haven_process&) = delete;
  haven_process& operator=(const haven_process&) = delete;

  /// Waits for the "listening on host:port" line; false when the process
  /// exits first or the time runs out.
  bool wait_listening(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

  /// Polls GET /health until it answers 200 with "status":"healthy".
  bool wait_until_healthy(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Polls GET /ready until it answers 200.
  bool wait_until_ready(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Polls GET /health until its JSON "status" is `status` (healthy, degraded,
  /// unhealthy). On success `body`/`http_status` hold that answer.
  bool wait_for_health(const std::string& status, std::chrono::milliseconds timeout,
                       std::string* body = nullptr, int* http_status = nullptr);

  void send_signal(int sig);
  /// Still running (not exited, not reaped)?
  bool running();
  /// Waits for the process to exit: its exit code (128 + signal when killed by
  /// one), or nullopt when it is still running after `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  std::string stdout_text() const;
  std::string stderr_text() const;
  /// The node's log: it logs to stderr (text or json per HAVEN_LOG_FORMAT).
  std::string log_text() const { return stderr_text(); }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  uint16_t port_ = 0;
};

} // namespace haven::test
