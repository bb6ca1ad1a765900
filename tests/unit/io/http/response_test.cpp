#include "io/http/request_id.hpp"
#include "io/http/response.hpp"

#include <set>

#include <gtest/gtest.h>

using namespace haven::http;

TEST(response, serializes_status_headers_and_body) {
  std::string out;
  auto r = json_response(201, R"({"ok":true})");
  r.headers.emplace_back("Location", "/x");
  serialize(r, "rid", "Mon, 23 Nov 2026 02:00:00 GMT", true, false, out);
  EXPECT_EQ(
      out,
      "HTTP/1.1 201 Created\r\nDate: Mon, 23 Nov 2026 02:00:00 GMT\r\nX-Request-ID: rid\r\n"
      "Content-Type: application/json\r\nContent-Length: 11\r\nLocation: /x\r\n\r\n{\"ok\":true}");
}

TEST(response, head_keeps_length_but_drops_body_and_close_is_announced) {
  std::string out;
  serialize(json_response(200, "{}"), "r", "d", false, true, out);
  EXPECT_NE(out.find("Content-Length: 2\r\n"), std::string::npos);
  EXPECT_NE(out.find("Connection: close\r\n\r\n"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 4), "\r\n\r\n");
}

TEST(response, no_content_has_no_body_headers) {
  std::string out;
  response r;
  r.status = 204;
  serialize(r, "r", "d", true, false, out);
  EXPECT_EQ(out.find("Content-Length"), std::string::npos);
}

TEST(response, http_date_format) {
  EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(request_id, client_ids_are_validated) {
  EXPECT_TRUE(is_valid_request_id("abc-DEF_1.2"));
  EXPECT_TRUE(is_valid_request_id(std::string(128, 'a')));
  EXPECT_FALSE(is_valid_request_id(std::string(129, 'a')));
  EXPECT_FALSE(is_valid_request_id(""));
  EXPECT_FALSE(is_valid_request_id("a b"));
  EXPECT_FALSE(is_valid_request_id("a\r\nX-Evil: 1"));
  EXPECT_FALSE(is_valid_request_id("ünïcode"));
}

TEST(request_id, generated_ids_are_unique_uuid_v4) {
  request_id_generator gen;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = gen.next();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '4');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
    EXPECT_TRUE(is_valid_request_id(id));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}
