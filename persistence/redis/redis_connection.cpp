#include "persistence/redis/redis_connection.hpp"

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <pthread.h>
#include <sys/time.h>

#include <hiredis/hiredis.h>

#include "persistence/redis/redis_reply_conv.hpp"

namespace haven::redis {

namespace {

// hiredis writes with write(2): writing to a peer that went away raises
// SIGPIPE, which kills the process unless ignored. The connection lives on a
// detached actor's own thread, so blocking it there once is enough (and costs
// nothing per call); a pending one is discarded after a failure.
void block_sigpipe_on_this_thread() {
  static thread_local bool blocked = false;
  if (blocked)
    return;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  blocked = true;
}

void discard_pending_sigpipe() {
  sigset_t pending;
  sigpending(&pending);
  if (sigismember(&pending, SIGPIPE) != 1)
    return;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  timespec zero{0, 0};
  sigtimedwait(&set, nullptr, &zero);
}

// A zero timeval means "no timeout" to hiredis and setsockopt: at least 1 ms.
timeval to_timeval(std::chrono::milliseconds t) {
  auto ms = t.count() < 1 ? 1 : t.count();
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>(ms % 1000 * 1000)};
}

std::string short_error(const char* msg) {
  std::string s = msg != nullptr && *msg != '\0' ? msg : "unknown error";
  if (s.size() > 160)
    s.resize(160);
  return s;
}

} // namespace

redis_connection::redis_connection(redis_conn_params params) : params_(std::move(params)) {}

redis_connection::~redis_connection() {
  drop();
}

void redis_connection::drop() {
  if (ctx_ != nullptr) {
    redisFree(ctx_); // closes the socket, never waits for the server
    ctx_ = nullptr;
  }
  shas_.clear(); // a new connection may reach a server with an empty script cache
}

void redis_connection::fail(std::string& err) {
  // Read errno first: a socket timeout (SO_RCVTIMEO/SO_SNDTIMEO) shows as EAGAIN.
  const bool timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
  if (ctx_ == nullptr)
    err = "not connected";
  else if (ctx_->err == REDIS_ERR_IO && timed_out)
    err = "timeout";
  else
    err = short_error(ctx_->errstr);
  drop();
  discard_pending_sigpipe();
}

bool redis_connection::connect(std::string& err) {
  const auto tv = to_timeval(params_.timeout);
  ctx_ = redisConnectWithTimeout(params_.host.c_str(), params_.port, tv);
  if (ctx_ == nullptr) {
    err = "out of memory";
    return false;
  }
  if (ctx_->err != 0 || redisSetTimeout(ctx_, tv) != REDIS_OK ||
      redisEnableKeepAlive(ctx_) != REDIS_OK) {
    err = short_error(ctx_->errstr);
    drop();
    return false;
  }
  std::vector<std::vector<std::string>> preamble;
  if (!params_.password.empty()) {
    if (params_.user.empty())
      preamble.push_back({"AUTH", params_.password});
    else
      preamble.push_back({"AUTH", params_.user, params_.password});
  }
  if (params_.db != 0)
    preamble.push_back({"SELECT", std::to_string(params_.db)});
  if (preamble.empty())
    return true;
  for (auto& cmd : preamble)
    if (!append({&cmd}, err))
      return false;
  std::vector<redis_reply> replies;
  if (!read_replies(preamble.size(), replies, err))
    return false;
  for (size_t i = 0; i < replies.size(); ++i) {
    if (replies[i].kind == redis_reply::error_kind) {
      // Redis's text would be safe, but keep the line short and fixed.
      err = preamble[i][0] == "AUTH" ? "AUTH rejected" : "SELECT rejected";
      drop();
      return false;
    }
  }
  return true;
}

bool redis_connection::ensure_connected(std::string& err) {
  block_sigpipe_on_this_thread();
  if (ctx_ != nullptr) {
    // Between calls an idle connection has nothing to read. Readable means
    // the server closed it (restart, idle timeout): reconnect now instead of
    // sending into a dead socket, so no command is ever sent twice.
    pollfd p{ctx_->fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0)
      return true;
    drop();
  }
  return connect(err);
}

bool redis_connection::append(std::initializer_list<const std::vector<std::string>*> parts,
                              std::string& err) {
  argv_.clear();
  argvlen_.clear();
  for (auto* part : parts) {
    for (auto& arg : *part) {
      argv_.push_back(arg.data());
      argvlen_.push_back(arg.size());
    }
  }
  if (redisAppendCommandArgv(ctx_, static_cast<int>(argv_.size()), argv_.data(), argvlen_.data()) !=
      REDIS_OK) {
    fail(err);
    return false;
  }
  return true;
}

bool redis_connection::read_replies(size_t n, std::vector<redis_reply>& out, std::string& err) {
  out.reserve(out.size() + n);
  for (size_t i = 0; i < n; ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) {
      fail(err);
      return false;
    }
    auto* reply = static_cast<redisReply*>(raw);
    out.push_back(to_redis_reply(*reply));
    freeReplyObject(reply);
  }
  return true;
}

bool redis_connection::pipeline(const std::vector<redis_command>& cmds,
                                std::vector<redis_reply>& out, std::string& err) {
  if (!ensure_connected(err))
    return false;
  for (auto& cmd : cmds)
    if (!append({&cmd.args}, err))
      return false;
  return read_replies(cmds.size(), out, err);
}

bool redis_connection::eval(const std::string& name, const std::string& source,
                            const std::vector<std::string>& keys,
                            const std::vector<std::string>& args, redis_reply& out,
                            std::string& err) {
  if (!ensure_connected(err))
    return false;
  const auto numkeys = std::to_string(keys.size());
  std::vector<redis_reply> replies;
  if (auto it = shas_.find(name); it != shas_.end()) {
    const std::vector<std::string> head{"EVALSHA", it->second, numkeys};
    if (!append({&head, &keys, &args}, err) || !read_replies(1, replies, err))
      return false;
    if (!is_noscript(replies[0])) {
      out = std::move(replies[0]);
      return true;
    }
    replies.clear(); // SCRIPT FLUSH or a new server behind the same address
  }
  // Load for the next EVALSHA and run this call with EVAL: one round trip.
  const std::vector<std::string> load{"SCRIPT", "LOAD", source};
  const std::vector<std::string> head{"EVAL", source, numkeys};
  if (!append({&load}, err) || !append({&head, &keys, &args}, err) ||
      !read_replies(2, replies, err))
    return false;
  if (replies[0].kind == redis_reply::string_kind)
    shas_[name] = replies[0].str;
  out = std::move(replies[1]); // a compile error comes back here as an error reply
  return true;
}

bool redis_connection::ping(std::string& err) {
  if (!ensure_connected(err))
    return false;
  static const std::vector<std::string> cmd{"PING"};
  std::vector<redis_reply> replies;
  if (!append({&cmd}, err) || !read_replies(1, replies, err))
    return false;
  if (replies[0].kind == redis_reply::status_kind && replies[0].str == "PONG")
    return true;
  // Alive but not serving (LOADING, BUSY): keep the connection, stay open.
  err = replies[0].kind == redis_reply::error_kind ? short_error(replies[0].str.c_str())
                                                   : "unexpected PING reply";
  return false;
}

} // namespace haven::redis
