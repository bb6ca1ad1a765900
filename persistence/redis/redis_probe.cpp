#include "persistence/redis/redis_probe.hpp"

#include <csignal>
#include <cstring>
#include <pthread.h>
#include <sys/time.h>

#include <hiredis/hiredis.h>

namespace haven {

namespace {

using clock = std::chrono::steady_clock;

// Time left until `deadline` as a timeval, at least 1 ms: a zero timeval
// means "no timeout" to setsockopt and to hiredis.
timeval time_left(clock::time_point deadline) {
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now()).count();
  if (ms < 1)
    ms = 1;
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>(ms % 1000 * 1000)};
}

// hiredis writes with write(2), not send(MSG_NOSIGNAL): writing to a peer that
// went away raises SIGPIPE, which kills the process unless it is ignored.
// Block it on this thread for the call and swallow one we caused.
class sigpipe_guard {
 public:
  sigpipe_guard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  }
  ~sigpipe_guard() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      timespec zero{0, 0};
      sigtimedwait(&pipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  sigpipe_guard(const sigpipe_guard&) = delete;
  sigpipe_guard& operator=(const sigpipe_guard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
};

std::string short_error(const char* msg) {
  std::string s = msg != nullptr && *msg != '\0' ? msg : "unknown error";
  if (s.size() > 160)
    s.resize(160);
  return s;
}

} // namespace

redis_probe::redis_probe(std::string host, uint16_t port, uint32_t db)
    : host_(std::move(host)), port_(port), db_(db) {}

redis_probe::~redis_probe() {
  disconnect();
}

void redis_probe::disconnect() {
  if (ctx_ != nullptr) {
    redisFree(ctx_); // only closes the socket: never waits for the server
    ctx_ = nullptr;
  }
}

bool redis_probe::connect(clock::time_point deadline, std::string& err) {
  // Bounds the TCP connect only (name resolution is not bounded: use an IP).
  ctx_ = redisConnectWithTimeout(host_.c_str(), port_, time_left(deadline));
  if (ctx_ == nullptr) {
    err = "out of memory";
    return false;
  }
  if (ctx_->err != 0) {
    err = clock::now() >= deadline ? "connect timeout" : short_error(ctx_->errstr);
    return false;
  }
  const std::string db = std::to_string(db_);
  const char* argv[] = {"SELECT", db.c_str()};
  return command(deadline, 2, argv, "OK", err);
}

bool redis_probe::command(clock::time_point deadline, int argc, const char** argv,
                          const char* expect, std::string& err) {
  // SO_RCVTIMEO/SO_SNDTIMEO bound each read/write; the replies are tiny, so
  // one call is one read in practice.
  if (redisSetTimeout(ctx_, time_left(deadline)) != REDIS_OK) {
    err = short_error(ctx_->errstr);
    return false;
  }
  auto* reply = static_cast<redisReply*>(redisCommandArgv(ctx_, argc, argv, nullptr));
  if (reply == nullptr) { // I/O error or timeout: the context is unusable now
    err = clock::now() >= deadline ? "timeout" : short_error(ctx_->errstr);
    return false;
  }
  bool ok = reply->type == REDIS_REPLY_STATUS && reply->str != nullptr &&
            std::strcmp(reply->str, expect) == 0;
  if (!ok)
    err = reply->type == REDIS_REPLY_ERROR ? short_error(reply->str)
                                           : std::string{"unexpected reply to "} + argv[0];
  freeReplyObject(reply);
  return ok;
}

probe_result redis_probe::ping(std::chrono::milliseconds timeout) {
  sigpipe_guard guard;
  const auto start = clock::now();
  const auto deadline = start + timeout;
  const char* argv[] = {"PING"};
  const bool reused = ctx_ != nullptr;
  std::string err;
  bool ok = (reused || connect(deadline, err)) && command(deadline, 1, argv, "PONG", err);
  // A kept connection may have died with a server restart: retry once on a
  // fresh one while time is left (never after a timeout).
  if (!ok && reused && clock::now() < deadline) {
    disconnect();
    err.clear();
    ok = connect(deadline, err) && command(deadline, 1, argv, "PONG", err);
  }
  if (!ok)
    disconnect();
  probe_result res;
  res.up = ok;
  res.error = ok ? std::string{} : std::move(err);
  res.latency_ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();
  return res;
}

} // namespace haven
