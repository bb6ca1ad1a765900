#include "io/http/router.hpp"

#include <gtest/gtest.h>

using namespace haven::http;

namespace {

router make_router() {
  router r;
  r.add(method::get, "/health", 1);
  r.add(method::post, "/v1/auth/login", 2);
  r.add(method::get, "/v1/status/{resource_id}", 3);
  r.add(method::put, "/v1/status/{resource_id}/stages/{stage}", 4);
  r.add(method::get, "/v1/conversation/sessions/{id}/messages", 5);
  r.add(method::delete_, "/v1/conversation/sessions/{id}", 6);
  r.add(method::get, "/v1/auth/me", 7);
  return r;
}

} // namespace

TEST(router, literal_route_matches) {
  auto r = make_router();
  auto m = r.match(method::get, "/health");
  EXPECT_EQ(m.kind, route_match::found);
  EXPECT_EQ(m.handler, 1u);
  EXPECT_EQ(m.pattern, "/health");
}

TEST(router, path_params_are_extracted) {
  auto r = make_router();
  auto m = r.match(method::put, "/v1/status/abc-123/stages/quality");
  ASSERT_EQ(m.kind, route_match::found);
  EXPECT_EQ(m.handler, 4u);
  EXPECT_EQ(m.param("resource_id"), "abc-123");
  EXPECT_EQ(m.param("stage"), "quality");
  EXPECT_EQ(m.param("missing"), "");
  EXPECT_EQ(m.pattern, "/v1/status/{resource_id}/stages/{stage}");
}

TEST(router, unknown_path_is_not_found) {
  auto r = make_router();
  EXPECT_EQ(r.match(method::get, "/nope").kind, route_match::not_found);
  EXPECT_EQ(r.match(method::get, "/v1/status").kind, route_match::not_found);
  EXPECT_EQ(r.match(method::get, "/v1/status/a/b").kind, route_match::not_found);
  EXPECT_EQ(r.match(method::get, "").kind, route_match::not_found);
}

TEST(router, trailing_slash_and_empty_segments_do_not_match) {
  auto r = make_router();
  EXPECT_EQ(r.match(method::get, "/health/").kind, route_match::not_found);
  EXPECT_EQ(r.match(method::get, "/v1/status/x/").kind, route_match::not_found);
  EXPECT_EQ(r.match(method::get, "/v1//status/x").kind, route_match::not_found);
}

TEST(router, wrong_method_lists_allowed_methods) {
  auto r = make_router();
  auto m = r.match(method::post, "/health");
  EXPECT_EQ(m.kind, route_match::method_not_allowed);
  EXPECT_EQ(m.allow, "GET, HEAD");
  auto d = r.match(method::get, "/v1/conversation/sessions/42");
  EXPECT_EQ(d.kind, route_match::method_not_allowed);
  EXPECT_EQ(d.allow, "DELETE");
  auto l = r.match(method::get, "/v1/auth/login");
  EXPECT_EQ(l.allow, "POST");
}

TEST(router, head_uses_the_get_route) {
  auto r = make_router();
  auto m = r.match(method::head, "/v1/auth/me");
  EXPECT_EQ(m.kind, route_match::found);
  EXPECT_EQ(m.handler, 7u);
}

TEST(router, several_methods_on_one_pattern) {
  router r;
  r.add(method::get, "/v1/users/me", 1);
  r.add(method::patch, "/v1/users/me", 2);
  EXPECT_EQ(r.match(method::patch, "/v1/users/me").handler, 2u);
  EXPECT_EQ(r.match(method::delete_, "/v1/users/me").allow, "GET, HEAD, PATCH");
}
