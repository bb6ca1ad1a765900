// API.md section 1 against hostile clients (issue 10, audit C1, H1, M1, M2,
// L12): every answer reaches its own connection even when the kernel gives a
// closed connection's file descriptor to the next client, one client cannot
// make the node hold unbounded memory, and forged tokens are cheap. Real
// `haven serve` processes against a real stack; time bounds are generous on
// purpose (they prove "does not hang", not speed).
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/auth_test_support.hpp"
#include "tests/integration/support/metrics.hpp"
#include "tests/integration/support/node_test.hpp"
#include "tests/integration/support/poll.hpp"

namespace {

using namespace std::chrono_literals;
using namespace haven::test;
using namespace haven::test::auth;

// Resident memory of a process in MiB, from /proc.
double rss_mib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stod(line.substr(6)) / 1024.0;
  return -1;
}

std::string login_request(const account& a) {
  auto body = obj({{"email", a.email}, {"password", a.password}});
  return make_request("POST", "/v1/auth/login", {{"Content-Type", "application/json"}}, body);
}

std::string detect_request(const std::string& token, const std::string& text) {
  auto body = obj({{"text", text}, {"session_id", "late-answer-session"}});
  return make_request("POST", "/v1/crisis/detect",
                      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}},
                      body);
}

// A raw socket with O_NONBLOCK: writes what the kernel takes, never waits.
size_t send_some(int fd, const std::string& bytes) {
  auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

class EdgeHostile : public node_test {
 protected:
  // A node with the auth suites' generous limits plus `extra`.
  void start(env_map extra = {}) {
    node_ = std::make_unique<haven_process>(auth_env(the_stack(), std::move(extra)));
    ASSERT_TRUE(node_->wait_until_ready(20s)) << node_->log_text();
  }
};

// Audit C1, reproduced as the outside review did: client A sends a slow
// request and closes at once; client B connects right after (and usually gets
// A's file descriptor) and sends its own slow request. B must get B's answer.
TEST_F(EdgeHostile, LateAnswerNeverReachesTheNextConnection) {
  start();
  auto a = register_account(port(), {{"email", unique_email("late-a")}});
  auto b = register_account(port(), {{"email", unique_email("late-b")}});
  constexpr int rounds = 40;
  for (int i = 0; i < rounds; ++i) {
    SCOPED_TRACE("round " + std::to_string(i));
    {
      http_connection gone(port());
      gone.send(login_request(a));
    } // closed before the ~10 ms password check answers
    http_connection next(port());
    next.send(login_request(b));
    auto r = next.read_response(15s);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(field(r, "/user/id"), b.id) << "B received another client's tokens";
  }
  // Same with crisis detection: A's message escalates (a PostgreSQL write
  // before the answer), B's does not; B must never see A's assessment.
  for (int i = 0; i < rounds; ++i) {
    SCOPED_TRACE("detect round " + std::to_string(i));
    {
      http_connection gone(port());
      gone.send(detect_request(a.access, "I have the pills here and I am taking them all tonight"));
    }
    http_connection next(port());
    next.send(detect_request(b.access, "what a lovely afternoon at the market"));
    auto r = next.read_response(15s);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(field(r, "/risk_level"), "none") << r.body;
    ASSERT_EQ(field(r, "/event_id"), "<null>") << r.body;
  }
  // The scenario happened: answers were ready after their clients left.
  EXPECT_GT(metric(port(), "haven_http_late_answers_dropped_total"), 0);
}

// A parked request (waiting for a rate-limit lease from Redis) whose client
// leaves, then a new client on the same descriptor.
TEST_F(EdgeHostile, ParkedRequestOfAClosedConnectionIsDropped) {
  start({{"HAVEN_RATE_LIMIT_FREE", "100000"}});
  auto a = register_account(port(), {{"email", unique_email("park-a")}});
  auto b = register_account(port(), {{"email", unique_email("park-b")}});
  for (int i = 0; i < 20; ++i) {
    SCOPED_TRACE("round " + std::to_string(i));
    {
      http_connection gone(port());
      gone.send(
          make_request("GET", "/v1/auth/rate-limit", {{"Authorization", "Bearer " + a.access}}));
    }
    http_connection next(port());
    next.send(make_request("GET", "/v1/auth/me", {{"Authorization", "Bearer " + b.access}}));
    auto r = next.read_response(15s);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(field(r, "/user/id"), b.id) << "B received A's rate-limit answer: " << r.body;
  }
}

// Audit H1: one unauthenticated client pipelining GET /metrics without ever
// reading grew a node to 1.2 GiB in 20 s. Now reading stops once its answers
// back up: the node stays small and keeps serving others.
TEST_F(EdgeHostile, NeverReadingPipelinerLeavesMemoryBounded) {
  start();
  http_connection flood(port());
  const std::string one = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string many;
  for (int i = 0; i < 256; ++i)
    many += one;
  auto start_rss = rss_mib(node_->pid());
  double peak = start_rss;
  auto until = std::chrono::steady_clock::now() + 20s;
  size_t sent = 0;
  int health_checks = 0;
  while (std::chrono::steady_clock::now() < until) {
    sent += send_some(flood.fd(), many);
    peak = std::max(peak, rss_mib(node_->pid()));
    if (health_checks * 500ms < 20s - (until - std::chrono::steady_clock::now())) {
      auto h = http_get(port(), "/health", {}, 2s);
      ASSERT_EQ(h.status, 200) << "the node stopped serving others";
      ++health_checks;
    }
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_LT(peak, 150.0) << "started at " << start_rss << " MiB, sent " << sent << " bytes";
  EXPECT_GT(sent, one.size()) << "the flood sent nothing";
  EXPECT_GT(metric(port(), "haven_http_reads_paused_total"), 0);
}

// Pipelining beyond the limit loses nothing: reading pauses, then every
// answer arrives, in order, once the client reads.
TEST_F(EdgeHostile, DeepPipelineIsAnsweredInOrderAfterAPause) {
  start({{"HAVEN_MAX_PIPELINE", "8"}, {"HAVEN_MAX_UNSENT_BYTES", "4096"}});
  http_connection c(port());
  std::string batch;
  // Answers of a few KiB each, many MiB in all: more than the kernel's socket
  // buffers hold, so the node has to stop reading until the client reads.
  constexpr int n = 1500;
  for (int i = 0; i < n; ++i)
    batch += make_request("GET", "/metrics", {{"X-Request-ID", "deep-" + std::to_string(i)}});
  std::thread writer([&] { c.send(batch); });
  std::this_thread::sleep_for(500ms); // the node fills its limits and stops reading
  for (int i = 0; i < n; ++i) {
    auto r = c.read_response(10s);
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.header_or_empty("x-request-id"), "deep-" + std::to_string(i));
  }
  writer.join();
  // /metrics is cached for a second: wait for a page rendered after the pause.
  EXPECT_TRUE(eventually([&] { return metric(port(), "haven_http_reads_paused_total") > 0; }, 5s));
}

// API.md section 1: a client that does not read its answers within the write
// timeout is disconnected, and the node lets go of what it held for it.
TEST_F(EdgeHostile, ClientThatNeverReadsIsCutAfterTheWriteTimeout) {
  start({{"HAVEN_WRITE_TIMEOUT_MS", "1000"}});
  http_connection flood(port());
  const std::string one = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string many;
  for (int i = 0; i < 256; ++i)
    many += one;
  auto until = std::chrono::steady_clock::now() + 3s;
  while (std::chrono::steady_clock::now() < until) {
    send_some(flood.fd(), many);
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(eventually(
      [&] { return metric(port(), "haven_http_connections_write_timed_out_total") >= 1; }, 10s));
  ASSERT_TRUE(eventually([&] { return metric(port(), "haven_http_connections") <= 1; }, 10s))
      << "the cut connection is still held";
}

TEST_F(EdgeHostile, ConnectionsPerAddressAreLimited) {
  start({{"HAVEN_MAX_CONNECTIONS_PER_ADDR", "4"}});
  std::vector<http_connection> held;
  for (int i = 0; i < 4; ++i) {
    held.emplace_back(port());
    held.back().send(make_request("GET", "/health"));
    ASSERT_EQ(held.back().read_response().status, 200);
  }
  http_connection fifth(port());
  auto r = fifth.read_response(5s);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(field(r, "/error/code"), "overloaded");
  EXPECT_TRUE(r.has_header("retry-after"));
  EXPECT_TRUE(fifth.wait_closed(5s));
  held.pop_back();
  ASSERT_TRUE(eventually(
      [&] {
        auto c = http_connection::try_connect(port());
        if (!c)
          return false;
        c->send(make_request("GET", "/health"));
        http_response h;
        return c->try_read_response(h, 2s) == read_status::ok && h.status == 200;
      },
      5s));
}

// Audit M2: the node bounds the request bytes it holds across connections.
TEST_F(EdgeHostile, BufferedRequestBytesHaveANodeWideBudget) {
  start({{"HAVEN_MAX_BUFFERED_REQUEST_BYTES", "65536"}});
  auto head = [](size_t length) {
    return "POST /v1/crisis/detect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           std::to_string(length) + "\r\n\r\n";
  };
  // Valid JSON padded with spaces: the body is fine, only its size matters.
  const std::string part = "{\"text\":\"hi\"}" + std::string(40000 - 13, ' ');
  http_connection first(port());
  first.send(head(60000) + part);
  std::this_thread::sleep_for(200ms);
  http_connection second(port());
  second.send(head(60000) + part);
  auto refused = second.read_response(5s);
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(field(refused, "/error/code"), "overloaded");
  EXPECT_TRUE(second.wait_closed(5s));
  // The first finishes its body and is answered (401: no token).
  first.send(std::string(20000, ' '));
  auto r = first.read_response(5s);
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_GE(metric(port(), "haven_http_buffer_budget_refusals_total"), 1);
}

// Audit M2: the 4 MiB upload limit belongs to a route that takes uploads,
// with a credential; anything else gets the 64 KiB limit.
TEST_F(EdgeHostile, LargeBodyLimitOnlyForARouteThatTakesIt) {
  start();
  http_connection c(port());
  c.send("POST /v1/sync/upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: 1000000\r\n\r\n");
  auto r = c.read_response(5s);
  EXPECT_EQ(r.status, 413) << r.body;
}

// Audit M1: a failing token is checked once, and never-seen tokens cost the
// client's address from a budget of signature checks.
TEST_F(EdgeHostile, ForgedTokensAreCheckedOnceAndWithinABudget) {
  start({{"HAVEN_TOKEN_CHECKS_PER_ADDR_S", "2"}});
  auto a = register_account(port(), {{"email", unique_email("forge")}});
  auto forge = [&](int i) {
    std::string t = a.access;
    auto& last = t[t.size() - 2 - static_cast<size_t>(i % 20)];
    last = last == 'A' ? 'B' : 'A';
    return t;
  };
  auto checks = [&] { return metric(port(), "haven_auth_signature_checks_total"); };
  // The owner's real token, checked once before the flood, stays cached.
  ASSERT_EQ(call(port(), "GET", "/v1/auth/me", {}, a.access).status, 200);
  auto before = checks();
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(call(port(), "GET", "/v1/auth/me", {}, forge(0)).status, 401);
  EXPECT_LE(checks() - before, 1) << "one forged token, checked more than once";
  // Distinct forgeries: the burst (5 s x 2/s) is checked, then 429 without a check.
  before = checks();
  int unauthorized = 0, limited = 0;
  for (int i = 1; i < 60; ++i) {
    std::string t = a.access;
    t.replace(t.size() - 8, 6, std::to_string(100000 + i));
    auto r = call(port(), "GET", "/v1/auth/me", {}, t);
    if (r.status == 401)
      ++unauthorized;
    else if (r.status == 429)
      ++limited;
  }
  EXPECT_GT(limited, 0);
  EXPECT_LE(checks() - before, 12) << unauthorized << " answered 401";
  // The real token still works during the address's refusals: it is cached, so
  // it costs no check. (A never-seen token from this address waits for the budget.)
  EXPECT_EQ(call(port(), "GET", "/v1/auth/me", {}, a.access).status, 200);
}

// Audit L12 / API.md section 3: answers that carry tokens are never cached.
TEST_F(EdgeHostile, TokenAnswersAreNotStored) {
  start();
  auto email = unique_email("nostore");
  auto reg = call(port(), "POST", "/v1/auth/register",
                  obj({{"email", email}, {"password", "correct horse battery"}}));
  ASSERT_EQ(reg.status, 201);
  EXPECT_EQ(reg.header_or_empty("cache-control"), "no-store");
  auto login = call(port(), "POST", "/v1/auth/login",
                    obj({{"email", email}, {"password", "correct horse battery"}}));
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(login.header_or_empty("cache-control"), "no-store");
  auto refreshed = call(port(), "POST", "/v1/auth/refresh",
                        obj({{"refresh_token", field(login, "/refresh_token")}}));
  ASSERT_EQ(refreshed.status, 200);
  EXPECT_EQ(refreshed.header_or_empty("cache-control"), "no-store");
}

// Audit H1: /metrics is built at most once a second.
TEST_F(EdgeHostile, MetricsPageIsRenderedAtMostOncePerSecond) {
  start();
  auto first = http_get(port(), "/metrics");
  auto second = http_get(port(), "/metrics");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.body, second.body) << "rendered again within the same second";
  std::this_thread::sleep_for(1100ms);
  EXPECT_NE(http_get(port(), "/metrics").body, first.body);
}

// The access log at production defaults: one JSON line per request, written
// by the log thread within a tick, with the request's id.
TEST_F(EdgeHostile, AccessLogLineForEveryRequest) {
  start({{"HAVEN_LOG_FORMAT", "json"}, {"HAVEN_LOG_LEVEL", "info"}});
  for (int i = 0; i < 50; ++i)
    http_get(port(), "/health", {{"X-Request-ID", "access-" + std::to_string(i)}});
  ASSERT_TRUE(eventually(
      [&] { return node_->log_text().find("\"request_id\":\"access-49\"") != std::string::npos; },
      5s));
  auto log = node_->log_text();
  for (int i = 0; i < 50; ++i) {
    auto id = "\"request_id\":\"access-" + std::to_string(i) + "\"";
    auto at = log.find(id);
    ASSERT_NE(at, std::string::npos) << id;
    auto line_start = log.rfind('\n', at) + 1;
    auto line = log.substr(line_start, log.find('\n', at) - line_start);
    EXPECT_NE(line.find("\"msg\":\"request\""), std::string::npos) << line;
    EXPECT_NE(line.find("\"route\":\"/health\""), std::string::npos) << line;
    EXPECT_NE(line.find("\"status\":200"), std::string::npos) << line;
    EXPECT_EQ(line.front(), '{');
    EXPECT_EQ(line.back(), '}');
  }
  EXPECT_EQ(metric(port(), "haven_log_lines_dropped_total"), 0);
}

} // namespace

// Issue 10 sweep: chunked requests that carry trailer fields were closed
// without an answer. Trailers are parsed, bounded and ignored.
TEST_F(EdgeHostile, ChunkedRequestWithTrailersIsAnswered) {
  start();
  const std::string trailers[] = {"X-Checksum: abc\r\n", "X-A: 1\r\nX-B: 2\r\n",
                                  "Expires: Wed, 21 Oct 2015 07:28:00 GMT\r\n"};
  for (const auto& trailer : trailers) {
    SCOPED_TRACE(trailer);
    http_connection c(port());
    c.send("POST /v1/crisis/detect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Transfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
           "d\r\n{\"text\":\"hi\"}\r\n0\r\n" +
           trailer + "\r\n");
    auto r = c.read_response(5s);
    EXPECT_EQ(r.status, 401) << r.body; // answered: no token
    // The connection stays usable for the next request.
    c.send(make_request("GET", "/health"));
    EXPECT_EQ(c.read_response(5s).status, 200);
  }
}

// A request line or header line broken by a bare CR or a control character
// is 400 and the connection closes; 505 is only for a well-formed line with
// an unsupported version.
TEST_F(EdgeHostile, MalformedLinesAre400AndOnlyRealVersionsAre505) {
  start();
  const std::string bad[] = {
      "GET /health HTTP/1.1\r\r\nHost: x\r\n\r\n",  "GET /he\ralth HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /health HTTP/1.1\rHost: x\r\n\r\n",      "GET /health HTTP/1.1\r\nHo\rst: x\r\n\r\n",
      "GET /health HTTP/1.1\r\nHost: x\ry\r\n\r\n", "GET /hea\x01lth HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /health HTTP/1.\r1\r\nHost: x\r\n\r\n",  "GET /health HTTP/2.0\r\r\nHost: x\r\n\r\n"};
  for (const auto& raw : bad) {
    SCOPED_TRACE(::testing::PrintToString(raw));
    http_connection c(port());
    c.send(raw);
    auto r = c.read_response(5s);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_TRUE(c.wait_closed(5s));
  }
  http_connection v(port());
  v.send("GET /health HTTP/2.0\r\nHost: x\r\n\r\n");
  EXPECT_EQ(v.read_response(5s).status, 505);
}
