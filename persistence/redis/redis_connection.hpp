#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <unordered_map>
#include <vector>

#include "messages/redis.hpp"

struct redisContext; // hiredis, kept out of this header

namespace haven::redis {

struct redis_conn_params {
  std::string host = "127.0.0.1"; // an IP: name resolution is not bounded by the timeout
  uint16_t port = 6379;
  uint32_t db = 0;
  std::string user;                        // ACL user (may be empty)
  std::string password;                    // secret, never logged (may be empty)
  std::chrono::milliseconds timeout{2000}; // bounds the connect and every socket read/write
};

/// One blocking hiredis connection, (re)connected on demand. Every call is
/// bounded by `timeout` per socket operation. Not thread-safe: owned by one
/// detached worker actor. A call that returns false left the connection
/// closed (the next call reconnects); `err` is short and holds no keys,
/// values or credentials. Redis error replies are not failures.
class redis_connection {
 public:
  explicit redis_connection(redis_conn_params params);
  ~redis_connection();
  redis_connection(const redis_connection&) = delete;
  redis_connection& operator=(const redis_connection&) = delete;

  /// Sends all commands as one pipeline and reads one reply per command.
  bool pipeline(const std::vector<redis_command>& cmds, std::vector<redis_reply>& out,
                std::string& err);

  /// EVALSHA of a script known by `name`; SCRIPT LOAD + EVAL in one round
  /// trip the first time on this connection and after NOSCRIPT.
  bool eval(const std::string& name, const std::string& source,
            const std::vector<std::string>& keys, const std::vector<std::string>& args,
            redis_reply& out, std::string& err);

  /// Forgets the SHA of `name` (its source changed).
  void forget_script(const std::string& name) { shas_.erase(name); }

  /// PING, connecting first if needed.
  bool ping(std::string& err);

  bool connected() const { return ctx_ != nullptr; }

 private:
  bool ensure_connected(std::string& err);
  bool connect(std::string& err);
  // Appends one command whose arguments are the concatenation of `parts`.
  bool append(std::initializer_list<const std::vector<std::string>*> parts, std::string& err);
  bool read_replies(size_t n, std::vector<redis_reply>& out, std::string& err);
  void fail(std::string& err);
  void drop();

  redis_conn_params params_;
  redisContext* ctx_ = nullptr;
  std::unordered_map<std::string, std::string> shas_; // scripts loaded on this connection
  std::vector<const char*> argv_;                     // reused to avoid allocations
  std::vector<size_t> argvlen_;
};

} // namespace haven::redis
