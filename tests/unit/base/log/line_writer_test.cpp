#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "base/log/access_log.hpp"
#include "base/log/line_writer.hpp"
#include "base/log/log.hpp"

using haven::log::access_log;
using haven::log::line_writer;

namespace {

std::string read_all(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    auto n = ::read(fd, buf, sizeof buf);
    if (n <= 0)
      return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

} // namespace

TEST(LineWriter, WritesEveryBatchInOrder) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string got;
  std::thread reader([&] { got = read_all(fds[0]); });
  {
    line_writer w(fds[1], true);
    std::string batch = w.hand_over({}, 0, true);
    for (int i = 0; i < 10000; ++i) {
      batch += "line " + std::to_string(i) + "\n";
      if (i % 100 == 99)
        batch = w.hand_over(std::move(batch), 100, true);
      if (i % 1000 == 0)
        w.submit("other " + std::to_string(i) + "\n", 1, false);
    }
    w.drain();
    EXPECT_EQ(w.dropped_lines(), 0u);
    EXPECT_EQ(w.written_lines(), 10000u + 10u);
  } // closes the pipe's write end
  reader.join();
  std::istringstream in(got);
  std::string line;
  int next = 0;
  while (std::getline(in, line)) {
    if (line.rfind("other ", 0) == 0)
      continue;
    ASSERT_EQ(line, "line " + std::to_string(next)) << "lines lost, torn or reordered";
    ++next;
  }
  EXPECT_EQ(next, 10000);
}

// A stalled output (a pipe nobody reads) never blocks the caller: batches
// beyond the pending limit are dropped and counted.
TEST(LineWriter, StalledOutputDropsInsteadOfBlocking) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
  {
    line_writer w(fds[1], false, 256 * 1024);
    const std::string line(99, 'x');
    std::string batch;
    size_t handed = 0;
    for (int b = 0; b < 200; ++b) { // ~20 MB against a 64 KiB pipe
      for (int i = 0; i < 1000; ++i)
        batch += line + "\n";
      batch = w.hand_over(std::move(batch), 1000, true);
      handed += 1000;
    }
    EXPECT_GT(w.dropped_lines(), 0u);
    EXPECT_LE(w.dropped_lines(), handed);
    // Let the writer finish what it holds: the reader drains the pipe.
    std::thread reader([&] { read_all(fds[0]); });
    w.drain();
    ::close(fds[1]);
    reader.join();
  }
  ::close(fds[0]);
}

TEST(AccessLog, JsonLinesCarryEveryField) {
  char path[] = "/tmp/haven-access-log-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  haven::log::options opts;
  opts.level = "info";
  opts.json = true;
  opts.node_id = "node-\"quoted\"";
  haven::log::init_to_file(opts, path);
  {
    access_log log;
    for (int i = 0; i < 3000; ++i) // more than one 64 KiB batch
      log.write({"req-" + std::to_string(i), "GET", "/v1/auth/me", 200, 0.25 + i, "127.0.0.1"});
  } // the destructor hands over the rest
  haven::log::shutdown();
  std::ifstream in(path);
  std::string line;
  int n = 0;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
    EXPECT_EQ(std::string_view(doc["request_id"]), "req-" + std::to_string(n));
    EXPECT_EQ(std::string_view(doc["msg"]), "request");
    EXPECT_EQ(std::string_view(doc["node"]), "node-\"quoted\"");
    EXPECT_EQ(std::string_view(doc["route"]), "/v1/auth/me");
    EXPECT_EQ(int64_t(doc["status"]), 200);
    EXPECT_NEAR(double(doc["duration_ms"]), 0.25 + n, 1e-9);
    EXPECT_EQ(std::string_view(doc["remote"]), "127.0.0.1");
    EXPECT_EQ(std::string_view(doc["time"]).size(), 24u); // 2026-12-07T06:37:14.123Z
    ++n;
  }
  EXPECT_EQ(n, 3000);
  ::unlink(path);
}
