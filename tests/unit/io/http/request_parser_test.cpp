#include "io/http/request_parser.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace haven::http {
namespace {

using namespace std::string_literals;

parse_status feed_next(request_parser& p, std::string_view bytes, request& out) {
  p.feed(bytes.data(), bytes.size());
  return p.next(out);
}

parser_limits small_limits(size_t header = 16 * 1024, size_t body = 64 * 1024) {
  parser_limits l;
  l.max_header_bytes = header;
  l.max_body_bytes = body;
  return l;
}

parse_error parse_error_of(std::string_view bytes, parser_limits limits = {}) {
  request_parser p(std::move(limits));
  request r;
  EXPECT_EQ(feed_next(p, bytes, r), parse_status::error) << bytes;
  return p.error();
}

std::string chunked_post(std::string_view chunks) {
  return "POST /v1/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"s +
         std::string(chunks);
}

// ---- basics ---------------------------------------------------------------

TEST(RequestParser, SimpleGet) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p, "GET /v1/auth/me HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n", r),
            parse_status::complete);
  EXPECT_EQ(r.verb, method::get);
  EXPECT_EQ(r.method_text, "GET");
  EXPECT_EQ(r.target, "/v1/auth/me");
  EXPECT_EQ(r.path, "/v1/auth/me");
  EXPECT_EQ(r.query, "");
  EXPECT_EQ(r.version, 11u);
  EXPECT_TRUE(r.keep_alive);
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(*r.header("host"), "example.com");
  EXPECT_EQ(r.body, "");
  EXPECT_FALSE(r.has_body());
  EXPECT_EQ(p.buffered(), 0u);
  EXPECT_FALSE(p.in_progress());
  EXPECT_EQ(p.next(r), parse_status::need_more);
}

TEST(RequestParser, PostWithContentLength) {
  request_parser p({});
  request r;
  ASSERT_EQ(
      feed_next(p,
                "POST /v1/auth/login HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                "Content-Length: 12\r\n\r\n{\"a\":\"b\\nc\"}",
                r),
      parse_status::complete);
  EXPECT_EQ(r.verb, method::post);
  EXPECT_EQ(r.body, "{\"a\":\"b\\nc\"}");
  EXPECT_TRUE(r.has_body());
  EXPECT_EQ(*r.header("content-length"), "12");
}

TEST(RequestParser, MethodsMapToEnum) {
  const std::vector<std::pair<std::string, method>> cases = {
      {"GET", method::get},         {"HEAD", method::head},      {"POST", method::post},
      {"PUT", method::put},         {"PATCH", method::patch},    {"DELETE", method::delete_},
      {"OPTIONS", method::options}, {"PROPFIND", method::other}, {"get", method::other}};
  for (const auto& [text, verb] : cases) {
    request_parser p({});
    request r;
    ASSERT_EQ(feed_next(p, text + " / HTTP/1.1\r\nHost: h\r\n\r\n", r), parse_status::complete)
        << text;
    EXPECT_EQ(r.verb, verb) << text;
    EXPECT_EQ(r.method_text, text);
  }
}

TEST(RequestParser, FedOneByteAtATime) {
  const std::string raw =
      "POST /v1/items?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world";
  request_parser p({});
  request r;
  for (size_t i = 0; i + 1 < raw.size(); ++i) {
    ASSERT_EQ(feed_next(p, raw.substr(i, 1), r), parse_status::need_more) << "byte " << i;
    EXPECT_TRUE(p.in_progress()) << "byte " << i;
  }
  ASSERT_EQ(feed_next(p, raw.substr(raw.size() - 1), r), parse_status::complete);
  EXPECT_EQ(r.path, "/v1/items");
  EXPECT_EQ(r.query, "x=1");
  EXPECT_EQ(r.body, "hello world");
  EXPECT_FALSE(p.in_progress());
}

TEST(RequestParser, SplitAtEveryBoundary) {
  const std::string raw = chunked_post("4;a=b\r\nWiki\r\n5\r\npedia\r\n0\r\nX-T: 1\r\n\r\n") +
                          "GET /next HTTP/1.1\r\nHost: h\r\n\r\n";
  for (size_t cut = 0; cut <= raw.size(); ++cut) {
    request_parser p({});
    request r;
    std::vector<std::string> bodies;
    for (std::string_view part :
         {std::string_view(raw).substr(0, cut), std::string_view(raw).substr(cut)}) {
      p.feed(part.data(), part.size());
      while (p.next(r) == parse_status::complete)
        bodies.push_back(r.path + ":" + r.body);
    }
    ASSERT_NE(p.next(r), parse_status::error) << "cut " << cut << ": " << to_string(p.error());
    EXPECT_EQ(bodies, (std::vector<std::string>{"/v1/x:Wikipedia", "/next:"})) << "cut " << cut;
  }
}

TEST(RequestParser, PipelinedRequestsInOneFeed) {
  const std::string partial = "GET /four HTTP/1.1\r\nHo";
  const std::string raw = "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
                          "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                          "DELETE /three HTTP/1.1\r\nHost: h\r\n\r\n" +
                          partial;
  request_parser p({});
  request r;
  p.feed(raw.data(), raw.size());
  ASSERT_EQ(p.next(r), parse_status::complete);
  EXPECT_EQ(r.path, "/one");
  EXPECT_EQ(r.body, "");
  ASSERT_EQ(p.next(r), parse_status::complete);
  EXPECT_EQ(r.path, "/two");
  EXPECT_EQ(r.body, "abc");
  ASSERT_EQ(p.next(r), parse_status::complete);
  EXPECT_EQ(r.path, "/three");
  EXPECT_EQ(r.verb, method::delete_);
  EXPECT_EQ(r.body, "");
  EXPECT_FALSE(r.has_body());
  EXPECT_EQ(p.next(r), parse_status::need_more);
  EXPECT_TRUE(p.in_progress());
  ASSERT_EQ(feed_next(p, "st: h\r\n\r\n", r), parse_status::complete);
  EXPECT_EQ(r.path, "/four");
  EXPECT_EQ(r.headers.size(), 1u) << "no header left over from an earlier request";
  EXPECT_FALSE(p.in_progress());
}

TEST(RequestParser, ManyPipelinedRequestsCompactTheBuffer) {
  request_parser p({});
  request r;
  std::string one =
      "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x');
  size_t done = 0;
  for (int round = 0; round < 200; ++round) {
    std::string burst = one + one + one.substr(0, 37); // ends mid-request
    p.feed(burst.data(), burst.size());
    while (p.next(r) == parse_status::complete) {
      ASSERT_EQ(r.body, std::string(100, 'x'));
      ++done;
    }
    p.feed(one.data() + 37, one.size() - 37);
    while (p.next(r) == parse_status::complete)
      ++done;
  }
  EXPECT_EQ(done, 600u);
  EXPECT_FALSE(p.in_progress());
}

// ---- chunked ----------------------------------------------------------------

TEST(RequestParser, ChunkedBodyWithExtensionsAndTrailers) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p,
                      chunked_post("4;name=value\r\nWiki\r\n"
                                   "5;quoted=\"a b\";flag\r\npedia\r\n"
                                   "E\r\n in\r\n\r\nchunks.\r\n"
                                   "0;last\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"),
                      r),
            parse_status::complete);
  EXPECT_EQ(r.body, "Wikipedia in\r\n\r\nchunks.");
  EXPECT_TRUE(r.has_body());
  EXPECT_EQ(r.header("x-checksum"), nullptr) << "trailers are not merged into headers";
  EXPECT_EQ(*r.header("transfer-encoding"), "chunked");
  EXPECT_EQ(p.buffered(), 0u);
}

TEST(RequestParser, ChunkedEmptyBodyCountsAsBody) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p, chunked_post("0\r\n\r\n"), r), parse_status::complete);
  EXPECT_EQ(r.body, "");
  EXPECT_TRUE(r.has_body());
}

TEST(RequestParser, ChunkedFedOneByteAtATime) {
  const std::string raw = chunked_post("3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n");
  request_parser p({});
  request r;
  parse_status s = parse_status::need_more;
  for (char c : raw) {
    ASSERT_EQ(s, parse_status::need_more);
    s = feed_next(p, std::string_view(&c, 1), r);
  }
  ASSERT_EQ(s, parse_status::complete);
  EXPECT_EQ(r.body, "abc0123456789abcdef");
}

TEST(RequestParser, BadChunkSizeIsBadRequest) {
  EXPECT_EQ(parse_error_of(chunked_post("zz\r\nabc\r\n0\r\n\r\n")), parse_error::bad_request);
  EXPECT_EQ(parse_error_of(chunked_post("3\r\nabcX\r\n0\r\n\r\n")), parse_error::bad_request)
      << "chunk data not followed by CRLF";
  EXPECT_EQ(parse_error_of(chunked_post("-1\r\n")), parse_error::bad_request);
}

TEST(RequestParser, ChunkedOverLimitFails) {
  // Several chunks that together pass the limit.
  std::string chunks;
  for (int i = 0; i < 5; ++i)
    chunks += "100\r\n" + std::string(256, 'a') + "\r\n";
  EXPECT_EQ(parse_error_of(chunked_post(chunks + "0\r\n\r\n"), small_limits(16 * 1024, 1024)),
            parse_error::body_too_large);
  // One chunk-size line announcing too much: refused before its data arrives.
  request_parser p(small_limits(16 * 1024, 1024));
  request r;
  EXPECT_EQ(feed_next(p, chunked_post("401\r\n"), r), parse_status::error);
  EXPECT_EQ(p.error(), parse_error::body_too_large);
  // Exactly the limit is fine.
  request_parser ok(small_limits(16 * 1024, 1024));
  ASSERT_EQ(feed_next(ok, chunked_post("400\r\n" + std::string(1024, 'b') + "\r\n0\r\n\r\n"), r),
            parse_status::complete);
  EXPECT_EQ(r.body.size(), 1024u);
}

TEST(RequestParser, EndlessTrailerIsBounded) {
  request_parser p(small_limits(1024));
  request r;
  ASSERT_EQ(feed_next(p, chunked_post("1\r\na\r\n0\r\nX-T: "), r), parse_status::need_more);
  std::string filler(100, 'x');
  parse_status s = parse_status::need_more;
  for (int i = 0; i < 20 && s == parse_status::need_more; ++i)
    s = feed_next(p, filler, r);
  EXPECT_EQ(s, parse_status::error);
  EXPECT_EQ(p.error(), parse_error::headers_too_large);
}

// ---- body limits --------------------------------------------------------------

TEST(RequestParser, ContentLengthOverLimitFailsBeforeBody) {
  request_parser p(small_limits(16 * 1024, 1000));
  request r;
  EXPECT_EQ(feed_next(p, "POST /v1/x HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n", r),
            parse_status::error);
  EXPECT_EQ(p.error(), parse_error::body_too_large);

  request_parser at_limit(small_limits(16 * 1024, 1000));
  EXPECT_EQ(
      feed_next(at_limit, "POST /v1/x HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n", r),
      parse_status::need_more);
}

TEST(RequestParser, HugeContentLengthIsRefused) {
  EXPECT_EQ(parse_error_of("POST / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n"),
            parse_error::body_too_large);
  EXPECT_EQ(parse_error_of("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
            parse_error::bad_request)
      << "overflowing uint64";
}

TEST(RequestParser, PerPathBodyLimit) {
  auto limits = [] {
    parser_limits l;
    l.body_limit_for = [](const request& head) -> size_t {
      return head.path == "/v1/sync/upload" ? 4 * 1024 * 1024 : 0;
    };
    return l;
  };
  const std::string body(100 * 1024, 'z');
  const std::string head =
      " HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  request r;
  request_parser upload(limits());
  ASSERT_EQ(feed_next(upload, "POST /v1/sync/upload?part=1" + head + body, r),
            parse_status::complete);
  EXPECT_EQ(r.body.size(), body.size());

  request_parser normal(limits());
  EXPECT_EQ(feed_next(normal, "POST /v1/conversation/chat" + head, r), parse_status::error);
  EXPECT_EQ(normal.error(), parse_error::body_too_large);

  // Chunked uploads get the per-path limit too.
  request_parser chunked(limits());
  std::string chunked_req = "POST /v1/sync/upload HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 100; ++i)
    chunked_req += "400\r\n" + std::string(1024, 'c') + "\r\n";
  ASSERT_EQ(feed_next(chunked, chunked_req + "0\r\n\r\n", r), parse_status::complete);
  EXPECT_EQ(r.body.size(), 100u * 1024);
}

// ---- header limits --------------------------------------------------------------

// A request whose request line + headers (through the blank line) is exactly `total` bytes.
std::string request_with_header_size(size_t total) {
  const std::string start = "GET /pad HTTP/1.1\r\nHost: h\r\nX-Pad: ";
  const std::string end = "\r\n\r\n";
  return start + std::string(total - start.size() - end.size(), 'p') + end;
}

TEST(RequestParser, HeadersExactlyAtLimitPass) {
  request_parser p(small_limits(1024));
  request r;
  const std::string raw = request_with_header_size(1024);
  ASSERT_EQ(raw.size(), 1024u);
  ASSERT_EQ(feed_next(p, raw, r), parse_status::complete);
  EXPECT_EQ(r.header("x-pad")->size(), 1024u - 39u);
}

TEST(RequestParser, HeadersOneByteOverLimitFail) {
  EXPECT_EQ(parse_error_of(request_with_header_size(1025), small_limits(1024)),
            parse_error::headers_too_large);
}

TEST(RequestParser, HeaderLimitHoldsAtAnySplit) {
  for (size_t total : {1024u, 1025u}) {
    const std::string raw = request_with_header_size(total);
    for (size_t cut = 1; cut < raw.size(); cut += 7) {
      request_parser p(small_limits(1024));
      request r;
      parse_status s = feed_next(p, raw.substr(0, cut), r);
      if (s == parse_status::need_more)
        s = feed_next(p, raw.substr(cut), r);
      EXPECT_EQ(s, total == 1024 ? parse_status::complete : parse_status::error)
          << "total " << total << " cut " << cut;
    }
  }
}

TEST(RequestParser, IncompleteOversizeHeaderFailsWithoutTerminator) {
  request_parser p(small_limits(1024));
  request r;
  EXPECT_EQ(feed_next(p, "GET / HTTP/1.1\r\nX-Long: " + std::string(2000, 'a'), r),
            parse_status::error);
  EXPECT_EQ(p.error(), parse_error::headers_too_large);
}

TEST(RequestParser, TrickledHeaderIsCountedAsAWhole) {
  // Complete lines are consumed early by Beast; the limit still covers all of them.
  request_parser p(small_limits(1024));
  request r;
  ASSERT_EQ(feed_next(p, "GET / HTTP/1.1\r\n", r), parse_status::need_more);
  parse_status s = parse_status::need_more;
  int lines = 0;
  for (; lines < 100 && s == parse_status::need_more; ++lines)
    s = feed_next(p, "X-Line: " + std::string(40, 'v') + "\r\n", r);
  EXPECT_EQ(s, parse_status::error);
  EXPECT_EQ(p.error(), parse_error::headers_too_large);
  EXPECT_LE(lines, 1024 / 50 + 1);
  EXPECT_LE(p.buffered(), 1024u + 50u) << "at most the limit plus the last piece fed";
}

TEST(RequestParser, OversizeRequestLineFails) {
  EXPECT_EQ(parse_error_of("GET /" + std::string(2000, 'a'), small_limits(1024)),
            parse_error::headers_too_large);
}

// ---- malformed input ----------------------------------------------------------------

TEST(RequestParser, InvalidMethodTokenIsBadRequest) {
  EXPECT_EQ(parse_error_of("G@T / HTTP/1.1\r\n\r\n"), parse_error::bad_request);
  EXPECT_EQ(parse_error_of(" GET / HTTP/1.1\r\n\r\n"), parse_error::bad_request);
}

TEST(RequestParser, GarbageIsBadRequest) {
  EXPECT_EQ(parse_error_of("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"s),
            parse_error::bad_request)
      << "a TLS ClientHello";
  EXPECT_EQ(parse_error_of("hello there\r\n\r\n"), parse_error::bad_request);
  EXPECT_EQ(parse_error_of("GET / HTTP/1.1\r\nNo colon here\r\n\r\n"), parse_error::bad_request);
  EXPECT_EQ(parse_error_of("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"), parse_error::bad_request);
  EXPECT_EQ(parse_error_of("GET /a b HTTP/1.1\r\n\r\n"), parse_error::bad_request);
  EXPECT_EQ(parse_error_of("GET / HTTX/1.1\r\n\r\n"), parse_error::bad_request);
  EXPECT_EQ(parse_error_of("GET / HTTP/1.1\n\n"), parse_error::bad_request);
}

TEST(RequestParser, OtherHttpVersionsAreUnsupported) {
  EXPECT_EQ(parse_error_of("GET / HTTP/2.0\r\n\r\n"), parse_error::unsupported_version);
  EXPECT_EQ(parse_error_of("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), parse_error::unsupported_version);
  EXPECT_EQ(parse_error_of("GET / HTTP/0.9\r\n\r\n"), parse_error::unsupported_version);
}

TEST(RequestParser, ConflictingOrInvalidFramingIsBadRequest) {
  EXPECT_EQ(parse_error_of("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n"
                           "\r\n3\r\nabc\r\n0\r\n\r\n"),
            parse_error::bad_request);
  EXPECT_EQ(parse_error_of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n"
                           "\r\n3\r\nabc\r\n0\r\n\r\n"),
            parse_error::bad_request);
  for (const char* length : {"abc", "-1", "+3", "3 3", "", "3, 4", "0x10"})
    EXPECT_EQ(parse_error_of("POST / HTTP/1.1\r\nContent-Length: "s + length + "\r\n\r\n"),
              parse_error::bad_request)
        << "Content-Length: " << length;
  EXPECT_EQ(parse_error_of("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
            parse_error::bad_request);
  // A body we cannot delimit or decode.
  EXPECT_EQ(parse_error_of("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
            parse_error::bad_request);
  EXPECT_EQ(parse_error_of("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
            parse_error::bad_request);
  EXPECT_EQ(parse_error_of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n"),
            parse_error::bad_request);
  EXPECT_EQ(parse_error_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            parse_error::bad_request);
}

TEST(RequestParser, RepeatedIdenticalContentLengthIsAccepted) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p, "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", r),
            parse_status::complete);
  EXPECT_EQ(r.body, "abc");
}

TEST(RequestParser, ParserStaysFailedAfterError) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p, "G@T / HTTP/1.1\r\n\r\n", r), parse_status::error);
  EXPECT_EQ(feed_next(p, "GET / HTTP/1.1\r\n\r\n", r), parse_status::error);
  EXPECT_EQ(p.error(), parse_error::bad_request);
}

TEST(RequestParser, ErrorNamesAreStable) {
  EXPECT_EQ(to_string(parse_error::headers_too_large), "headers_too_large");
  EXPECT_EQ(to_string(parse_error::body_too_large), "body_too_large");
  EXPECT_EQ(to_string(parse_error::unsupported_version), "unsupported_version");
}

// ---- connection semantics ----------------------------------------------------------

TEST(RequestParser, Http10KeepAliveRules) {
  request r;
  request_parser plain({});
  ASSERT_EQ(feed_next(plain, "GET / HTTP/1.0\r\n\r\n", r), parse_status::complete);
  EXPECT_EQ(r.version, 10u);
  EXPECT_FALSE(r.keep_alive);

  request_parser keep({});
  ASSERT_EQ(feed_next(keep, "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", r),
            parse_status::complete);
  EXPECT_EQ(r.version, 10u);
  EXPECT_TRUE(r.keep_alive);
}

TEST(RequestParser, ConnectionClose) {
  request r;
  request_parser close({});
  ASSERT_EQ(feed_next(close, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", r),
            parse_status::complete);
  EXPECT_FALSE(r.keep_alive);

  request_parser listed({});
  ASSERT_EQ(feed_next(listed, "GET / HTTP/1.1\r\nConnection: keep-alive, CLOSE\r\n\r\n", r),
            parse_status::complete);
  EXPECT_FALSE(r.keep_alive);

  request_parser def({});
  ASSERT_EQ(feed_next(def, "GET / HTTP/1.1\r\n\r\n", r), parse_status::complete);
  EXPECT_TRUE(r.keep_alive);
}

TEST(RequestParser, ExpectContinueIsReportedOnceWhileBodyIsPending) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p, "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n", r),
            parse_status::need_more);
  EXPECT_TRUE(p.take_expect_continue());
  EXPECT_FALSE(p.take_expect_continue());
  ASSERT_EQ(feed_next(p, "abc", r), parse_status::complete);
  EXPECT_FALSE(p.take_expect_continue());

  request_parser whole({});
  ASSERT_EQ(
      feed_next(whole, "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx", r),
      parse_status::complete);
  EXPECT_FALSE(whole.take_expect_continue());
}

// ---- request fields -------------------------------------------------------------------

TEST(RequestParser, HeaderLookupIsCaseInsensitive) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p,
                      "GET / HTTP/1.1\r\nX-Request-ID: abc-1\r\ncontent-TYPE: application/json\r\n"
                      "X-Dup: first\r\nx-dup: second\r\n\r\n",
                      r),
            parse_status::complete);
  ASSERT_NE(r.header("x-request-id"), nullptr);
  EXPECT_EQ(*r.header("x-request-id"), "abc-1");
  EXPECT_EQ(*r.header("Content-Type"), "application/json");
  EXPECT_EQ(*r.header("x-dup"), "first");
  EXPECT_EQ(r.header("authorization"), nullptr);
}

TEST(RequestParser, HeaderNamesLowerCasedInOrderValuesTrimmed) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p,
                      "GET / HTTP/1.1\r\nHost: h\r\nAUTHORIZATION:   Bearer T0k3n  \r\n"
                      "X-Forwarded-For: 1.2.3.4\r\nEmpty:\r\n\r\n",
                      r),
            parse_status::complete);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"host", "h"},
      {"authorization", "Bearer T0k3n"},
      {"x-forwarded-for", "1.2.3.4"},
      {"empty", ""}};
  EXPECT_EQ(r.headers, expected);
}

TEST(RequestParser, QuerySplitAndParams) {
  request_parser p({});
  request r;
  ASSERT_EQ(
      feed_next(p, "GET /v1/crisis/events?status=all&limit=10&flag&e=a%20b?c HTTP/1.1\r\n\r\n", r),
      parse_status::complete);
  EXPECT_EQ(r.target, "/v1/crisis/events?status=all&limit=10&flag&e=a%20b?c");
  EXPECT_EQ(r.path, "/v1/crisis/events");
  EXPECT_EQ(r.query, "status=all&limit=10&flag&e=a%20b?c");
  EXPECT_EQ(r.query_param("status"), "all");
  EXPECT_EQ(r.query_param("limit"), "10");
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_EQ(r.query_param("e"), "a%20b?c") << "raw, not decoded";
  EXPECT_EQ(r.query_param("missing"), "");
  EXPECT_EQ(r.query_param("stat"), "");

  request_parser empty_query({});
  ASSERT_EQ(feed_next(empty_query, "GET /a? HTTP/1.1\r\n\r\n", r), parse_status::complete);
  EXPECT_EQ(r.path, "/a");
  EXPECT_EQ(r.query, "");
}

TEST(RequestParser, PathIsNotPercentDecoded) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p, "GET /v1/a%2Fb HTTP/1.1\r\n\r\n", r), parse_status::complete);
  EXPECT_EQ(r.path, "/v1/a%2Fb");
}

TEST(RequestParser, AbsoluteFormTargetRoutesOnPath) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p, "GET http://example.com:8080/v1/x?y=1 HTTP/1.1\r\n\r\n", r),
            parse_status::complete);
  EXPECT_EQ(r.target, "http://example.com:8080/v1/x?y=1");
  EXPECT_EQ(r.path, "/v1/x");
  EXPECT_EQ(r.query, "y=1");
}

TEST(RequestParser, LeadingEmptyLinesAreIgnored) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p, "POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx\r\n", r),
            parse_status::complete);
  EXPECT_EQ(p.next(r), parse_status::need_more);
  EXPECT_FALSE(p.in_progress());
  ASSERT_EQ(feed_next(p, "\r\nGET /after HTTP/1.1\r\n\r\n", r), parse_status::complete);
  EXPECT_EQ(r.path, "/after");
}

TEST(RequestParser, InProgressTracksUnfinishedRequests) {
  request_parser p({});
  request r;
  EXPECT_FALSE(p.in_progress());
  EXPECT_EQ(p.buffered(), 0u);
  EXPECT_EQ(p.next(r), parse_status::need_more);
  EXPECT_FALSE(p.in_progress());

  p.feed("GE", 2);
  EXPECT_TRUE(p.in_progress()) << "bytes buffered even before next()";
  EXPECT_EQ(p.buffered(), 2u);
  EXPECT_EQ(p.next(r), parse_status::need_more);
  EXPECT_TRUE(p.in_progress());

  EXPECT_EQ(feed_next(p, "T / HTTP/1.1\r\nContent-Length: 4\r\n\r\nab", r),
            parse_status::need_more);
  EXPECT_TRUE(p.in_progress()) << "body half there";
  EXPECT_EQ(feed_next(p, "cd", r), parse_status::complete);
  EXPECT_FALSE(p.in_progress());
  EXPECT_EQ(p.buffered(), 0u);
}

TEST(RequestParser, OutIsFullyReplacedAndReusable) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p,
                      "POST /a?q=1 HTTP/1.0\r\nConnection: keep-alive\r\nX-A: 1\r\n"
                      "Content-Length: 2\r\n\r\nhi",
                      r),
            parse_status::complete);
  ASSERT_EQ(feed_next(p, "GET /b HTTP/1.1\r\n\r\n", r), parse_status::complete);
  EXPECT_EQ(r.verb, method::get);
  EXPECT_EQ(r.path, "/b");
  EXPECT_EQ(r.query, "");
  EXPECT_TRUE(r.headers.empty());
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.version, 11u);
  EXPECT_TRUE(r.keep_alive);
}

TEST(RequestParser, MovedParserKeepsState) {
  request_parser p({});
  request r;
  ASSERT_EQ(feed_next(p, "GET /moved HTTP/1.1\r\nHo", r), parse_status::need_more);
  request_parser moved = std::move(p);
  ASSERT_EQ(feed_next(moved, "st: h\r\n\r\n", r), parse_status::complete);
  EXPECT_EQ(r.path, "/moved");
}

TEST(RequestHelpers, HasBodyFromHeaders) {
  request r;
  EXPECT_FALSE(r.has_body());
  r.headers = {{"content-length", "0"}};
  EXPECT_FALSE(r.has_body());
  r.headers = {{"content-length", "10"}};
  EXPECT_TRUE(r.has_body());
  r.headers = {{"transfer-encoding", "chunked"}};
  EXPECT_TRUE(r.has_body());
}

// Issue 10's sweep: legal chunked requests with trailer fields went
// unanswered. Every legal trailer shape, fed whole and split at every byte.
TEST(RequestParser, TrailerShapesWholeAndSplitAtEveryByte) {
  const std::string trailers[] = {"X-Checksum: abc\r\n",
                                  "X-A: 1\r\nX-B: 2\r\n",
                                  "X-Empty:\r\n",
                                  "X-Spaces:   padded value   \r\n",
                                  "Expires: Wed, 21 Oct 2015 07:28:00 GMT\r\n",
                                  "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r\n"};
  for (const auto& trailer : trailers) {
    SCOPED_TRACE(trailer);
    const std::string raw = chunked_post("5\r\nhello\r\n0\r\n" + trailer + "\r\n") +
                            "GET /next HTTP/1.1\r\nHost: h\r\n\r\n";
    for (size_t split = 0; split <= raw.size(); ++split) {
      request_parser p({});
      request r;
      p.feed(raw.data(), split);
      p.feed(raw.data() + split, raw.size() - split);
      ASSERT_EQ(p.next(r), parse_status::complete) << "split at " << split;
      EXPECT_EQ(r.body, "hello");
      ASSERT_EQ(p.next(r), parse_status::complete) << "split at " << split;
      EXPECT_EQ(r.path, "/next");
    }
  }
}

} // namespace
} // namespace haven::http
