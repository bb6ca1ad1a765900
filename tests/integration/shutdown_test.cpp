// Process life cycle of the real binary: graceful SIGTERM (idle, with a request
// in flight, with one that never completes), start-up refusal on bad
// configuration, `haven config check` and `haven version`.
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "tests/integration/support/haven_process.hpp"
#include "tests/integration/support/http_client.hpp"
#include "tests/integration/support/node_test.hpp"
#include "tests/integration/support/poll.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using haven::test::env_map;
using haven::test::haven_process;
using haven::test::http_connection;
using haven::test::http_response;
using haven::test::make_request;
using haven::test::read_status;

constexpr auto io_timeout = 5s;
// A valid HAVEN_DATA_KEY (base64 of 32 bytes): must never appear in any output.
const std::string data_key = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";

std::vector<std::string> non_empty_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in{text};
  std::string line;
  while (std::getline(in, line))
    if (!line.empty())
      out.push_back(line);
  return out;
}

// After SIGTERM the node must stop taking connections: connect() fails, or an
// accepted connection is closed without being served (or answered 503). A
// connection that is still served normally means the signal has not been
// handled yet, so this polls until `bound`.
bool new_connections_refused(uint16_t port, std::chrono::milliseconds bound, std::string& detail) {
  return haven::test::eventually(
      [&] {
        auto c = http_connection::try_connect(port, 1s);
        if (!c) {
          detail = "connect refused";
          return true;
        }
        c->try_send(make_request("GET", "/health"));
        http_response r;
        auto st = c->try_read_response(r, 2s);
        if (st == read_status::closed) {
          detail = "closed without an answer";
          return true;
        }
        if (st == read_status::ok && r.status == 503) {
          detail = "answered 503 " + r.body;
          return true;
        }
        return false;
      },
      bound, 50ms);
}

using Shutdown = haven::test::node_test;

TEST_F(Shutdown, IdleNodeExitsZeroOnSigterm) {
  start_node({{"HAVEN_DATA_KEY", data_key}, {"HAVEN_LOG_FORMAT", "json"}});
  // An idle keep-alive connection does not hold the shutdown up.
  http_connection idle{port()};
  idle.send(make_request("GET", "/health", {{"X-Request-ID", "before-term"}}));
  ASSERT_EQ(idle.read_response(io_timeout).status, 200);

  node_->send_signal(SIGTERM);
  EXPECT_EQ(node_->wait_exit(10s), std::optional<int>{0}) << node_->log_text();
  EXPECT_TRUE(idle.wait_closed(io_timeout));
  EXPECT_FALSE(http_connection::try_connect(port(), 1s).has_value())
      << "something still listens after exit";

  // The log: JSON lines (HAVEN_LOG_FORMAT=json) with the request's access line,
  // and no secret.
  auto log = node_->log_text();
  EXPECT_EQ(log.find(data_key), std::string::npos) << "HAVEN_DATA_KEY leaked into the log";
  auto lines = non_empty_lines(log);
  EXPECT_FALSE(lines.empty());
  for (auto& line : lines) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    EXPECT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << "not a JSON line: " << line;
  }
  EXPECT_NE(log.find("before-term"), std::string::npos) << "no access line with the request id";
  EXPECT_EQ(node_->stdout_text().find(data_key), std::string::npos);
}

TEST_F(Shutdown, SigtermDrainsAnInFlightRequest) {
  start_node();
  http_connection inflight{port()};
  // One finished request first, so this connection is known to the node.
  inflight.send(make_request("GET", "/health"));
  ASSERT_EQ(inflight.read_response(io_timeout).status, 200);
  // Headers and half the body of the next request.
  inflight.send("POST /v1/anything HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: in-flight-1\r\n"
                "Content-Type: application/json\r\nContent-Length: 10\r\n\r\n12345");
  http_connection idle{port()};
  idle.send(make_request("GET", "/health"));
  ASSERT_EQ(idle.read_response(io_timeout).status, 200);
  // Give the node a moment to read the partial request (not a latency bound:
  // without it, the signal could overtake bytes still in the socket).
  std::this_thread::sleep_for(500ms);

  node_->send_signal(SIGTERM);
  std::string how;
  EXPECT_TRUE(new_connections_refused(port(), 5s, how)) << "new connections still served";
  RecordProperty("new_connection_after_sigterm", how);
  EXPECT_TRUE(idle.wait_closed(io_timeout)) << "idle connection kept open while draining";
  ASSERT_TRUE(node_->running()) << "exited with a request in flight: " << node_->log_text();

  // The rest of the body: a complete answer, then the connection closes.
  inflight.send("67890");
  auto r = inflight.read_response(io_timeout);
  EXPECT_EQ(r.status, 404); // no such route yet; what matters is a whole answer
  EXPECT_EQ(r.header_or_empty("x-request-id"), "in-flight-1");
  EXPECT_TRUE(r.connection_close());
  EXPECT_TRUE(inflight.wait_closed(io_timeout));
  EXPECT_EQ(node_->wait_exit(10s), std::optional<int>{0}) << node_->log_text();
}

TEST_F(Shutdown, InFlightRequestThatNeverCompletesIsCutAtTheDeadline) {
  // A long header timeout, so that only the shutdown deadline can cut it.
  start_node({{"HAVEN_SHUTDOWN_DEADLINE_MS", "1500"}, {"HAVEN_HEADER_TIMEOUT_MS", "60000"}});
  http_connection stuck{port()};
  stuck.send("POST /v1/anything HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n12345");
  std::this_thread::sleep_for(500ms); // see above
  const auto term = clock_type::now();
  node_->send_signal(SIGTERM);
  // Cut well before the 60 s header timeout could have done it.
  EXPECT_TRUE(stuck.wait_closed(15s)) << "the stuck connection was never cut";
  EXPECT_EQ(node_->wait_exit(15s), std::optional<int>{0}) << node_->log_text();
  EXPECT_LT(clock_type::now() - term, 30s);
}

TEST_F(Shutdown, InvalidConfigurationExitsNonZeroWithOneLineNamingTheKey) {
  struct bad {
    std::string key, value;
    std::string secret; // must not be echoed ("" = nothing to check)
  };
  std::vector<bad> cases{
      {"HAVEN_RATE_LIMIT_FREE", "abc", ""},
      {"HAVEN_HTTP_ADDR", "not-an-address", ""},
      {"HAVEN_LOG_FORMAT", "xml", ""},
      {"HAVEN_MAX_CONNECTIONS", "0", ""},
      {"HAVEN_HEADER_TIMEOUT_MS", "-5", ""},
      {"HAVEN_DATA_KEY", "not-a-key-but-SECRET-1234567", "SECRET-1234567"},
      {"HAVEN_PG_URL", "mysql://root:hunter2pw@db/x", "hunter2pw"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.key + "=" + c.value);
    auto r = haven::test::run_haven({"serve"}, env({{c.key, c.value}}));
    EXPECT_GT(r.exit_code, 0) << "did not refuse to start";
    EXPECT_LT(r.exit_code, 128) << "crashed (signal) instead of exiting";
    auto lines = non_empty_lines(r.err);
    ASSERT_EQ(lines.size(), 1u) << "stderr: [" << r.err << "]";
    EXPECT_NE(lines[0].find(c.key), std::string::npos) << lines[0];
    EXPECT_EQ(r.out.find("listening"), std::string::npos);
    if (!c.secret.empty()) {
      EXPECT_EQ(r.err.find(c.secret), std::string::npos) << "secret echoed: " << r.err;
      EXPECT_EQ(r.out.find(c.secret), std::string::npos);
    }
  }
  // In prod the data key is required.
  auto r = haven::test::run_haven({"serve"}, env({{"HAVEN_ENV", "prod"}}));
  EXPECT_GT(r.exit_code, 0);
  auto lines = non_empty_lines(r.err);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  EXPECT_NE(lines[0].find("HAVEN_DATA_KEY"), std::string::npos) << lines[0];
}

TEST_F(Shutdown, ConfigCheckMasksSecrets) {
  auto r = haven::test::run_haven(
      {"config", "check"},
      env({{"HAVEN_DATA_KEY", data_key},
           {"HAVEN_PG_URL", "postgresql://haven:pgS3cretPass@127.0.0.1:5432/haven"},
           {"HAVEN_REDIS_URL", "redis://:r3disSecret@127.0.0.1:6379/0"},
           {"HAVEN_RATE_LIMIT_FREE", "77"}}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& secret :
       {data_key, std::string{"pgS3cretPass"}, std::string{"r3disSecret"}}) {
    EXPECT_EQ(r.out.find(secret), std::string::npos) << "secret shown: " << secret << "\n" << r.out;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << "secret shown: " << secret << "\n" << r.err;
  }
  // The key is listed (masked), and plain settings show their effective value.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex{"(^|\n)HAVEN_DATA_KEY=([^\n]*)"})) << r.out;
  EXPECT_FALSE(m[2].str().empty());
  EXPECT_NE(r.out.find("HAVEN_RATE_LIMIT_FREE=77"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("127.0.0.1:5432/haven"), std::string::npos) << r.out; // rest of the URL
}

TEST_F(Shutdown, VersionPrintsTheVersion) {
  auto r = haven::test::run_haven({"version"}, {});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex{"haven [0-9]+\\.[0-9]+\\.[0-9]+\\S*\n"}))
      << "[" << r.out << "]";
}

} // namespace
