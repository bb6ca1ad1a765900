// Regressions found by the request parser fuzz targets (tests/fuzz,
// docs/fuzzing.md): the same bytes must give the same answers however the
// socket reads cut them.
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "io/http/request_parser.hpp"

namespace haven::http {
namespace {

struct outcome {
  std::vector<std::string> targets; // of the complete requests, in order
  parse_status last = parse_status::need_more;
  parse_error error = parse_error::none;
};

// Feeds `pieces` one after the other, asking for requests after each.
outcome parse_pieces(const std::vector<std::string_view>& pieces) {
  request_parser p({});
  request r;
  outcome o;
  for (auto piece : pieces) {
    p.feed(piece.data(), piece.size());
    while ((o.last = p.next(r)) == parse_status::complete)
      o.targets.push_back(r.target);
    if (o.last == parse_status::error) {
      o.error = p.error();
      break;
    }
  }
  return o;
}

// Every cut of `bytes` into two reads gives what one read gives.
void expect_same_at_every_cut(std::string_view bytes) {
  outcome whole = parse_pieces({bytes});
  for (size_t cut = 1; cut < bytes.size(); ++cut) {
    outcome split = parse_pieces({bytes.substr(0, cut), bytes.substr(cut)});
    EXPECT_EQ(split.targets, whole.targets) << "cut at " << cut;
    EXPECT_EQ(split.last, whole.last) << "cut at " << cut;
    EXPECT_EQ(split.error, whole.error) << "cut at " << cut;
  }
}

// An empty line before a request (RFC 9112 2.2: some clients send CRLF after a
// POST body) whose CR ends one read and whose LF starts the next was taken as
// the start of a request line: 400 and close instead of the next request.
TEST(RequestParserSplit, EmptyLineCutBetweenCrAndLf) {
  auto o = parse_pieces({"POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi\r",
                         "\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"});
  EXPECT_EQ(o.targets, (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(o.last, parse_status::need_more);

  o = parse_pieces({"\r", "\n", "\r", "\n", "GET / HTTP/1.1\r\n\r\n"});
  EXPECT_EQ(o.targets, (std::vector<std::string>{"/"}));
  EXPECT_EQ(o.error, parse_error::none);

  expect_same_at_every_cut("\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n");
}

TEST(RequestParserSplit, LoneCrIsNotYetARequest) {
  request_parser p({});
  request r;
  p.feed("\r", 1);
  EXPECT_EQ(p.next(r), parse_status::need_more);
  p.feed("X", 1); // a bare CR: the request line is malformed
  EXPECT_EQ(p.next(r), parse_status::error);
  EXPECT_EQ(p.error(), parse_error::bad_request);
}

// Beast refuses "HTTP/2.0" as soon as the version is there, before the CRLF;
// whether that is 505 (well-formed line) or 400 (a bare CR follows) depends on
// bytes of the next read. A read ending right after the version gave 400.
TEST(RequestParserSplit, UnsupportedVersionCutBeforeCrlf) {
  auto o = parse_pieces({"GET / HTTP/2.0", "\r\nHost: h\r\n\r\n"});
  EXPECT_EQ(o.last, parse_status::error);
  EXPECT_EQ(o.error, parse_error::unsupported_version);

  o = parse_pieces({"GET / HTTP/0.1\r", "\nHost: h\r\n\r\n"});
  EXPECT_EQ(o.error, parse_error::unsupported_version);

  o = parse_pieces({"GET / HTTP/2.0\r", "X\r\n\r\n"});
  EXPECT_EQ(o.error, parse_error::bad_request);

  expect_same_at_every_cut("GET / HTTP/3.0\r\nHost: h\r\n\r\n");
  expect_same_at_every_cut("GET / HTTP/3.0\rHost: h\r\n\r\n");
}

TEST(RequestParserSplit, UnsupportedVersionWaitsWithinTheHeaderLimit) {
  parser_limits limits;
  limits.max_header_bytes = 64;
  request_parser p(std::move(limits));
  request r;
  std::string line = "GET /" + std::string(60, 'a') + " HTTP/2.0"; // no CRLF yet
  p.feed(line.data(), line.size());
  EXPECT_EQ(p.next(r), parse_status::error);
  EXPECT_EQ(p.error(), parse_error::headers_too_large);
}

TEST(RequestParserSplit, PipelinedAndChunkedAtEveryCut) {
  expect_same_at_every_cut("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
                           "POST /2 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                           "3;x=\"y\"\r\nabc\r\n0\r\nTrailer-A: 1\r\n\r\n"
                           "POST /3 HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz\r\n"
                           "GET /4 HTTP/1.0\r\n\r\n");
}

} // namespace
} // namespace haven::http
