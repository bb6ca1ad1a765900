#include "io/http/error_mapping.hpp"

#include <gtest/gtest.h>

#include <caf/sec.hpp>

using namespace haven;
using namespace haven::http;

namespace {

std::string header(const response& r, const std::string& name) {
  for (auto& [k, v] : r.headers)
    if (k == name)
      return v;
  return {};
}

} // namespace

TEST(error_mapping, every_domain_code_has_its_status) {
  EXPECT_EQ(status_of(errc::invalid_json), 400);
  EXPECT_EQ(status_of(errc::validation_failed), 422);
  EXPECT_EQ(status_of(errc::unauthorized), 401);
  EXPECT_EQ(status_of(errc::invalid_credentials), 401);
  EXPECT_EQ(status_of(errc::forbidden), 403);
  EXPECT_EQ(status_of(errc::not_found), 404);
  EXPECT_EQ(status_of(errc::email_taken), 409);
  EXPECT_EQ(status_of(errc::rate_limited), 429);
  EXPECT_EQ(status_of(errc::dependency_unavailable), 503);
  EXPECT_EQ(status_of(errc::internal), 500);
}

TEST(error_mapping, message_and_request_id_in_body) {
  auto r = map_error(make_error(errc::email_taken, "this email is taken"), "rid-1");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(
      r.body,
      R"({"error":{"code":"email_taken","message":"this email is taken","request_id":"rid-1"}})");
}

TEST(error_mapping, unauthorized_adds_www_authenticate) {
  auto r = map_error(make_error(errc::unauthorized), "r");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(header(r, "WWW-Authenticate"), "Bearer");
}

TEST(error_mapping, retry_after_is_at_least_one_second) {
  auto r = map_error(make_retry_error(errc::rate_limited, "slow down", 0), "r");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(header(r, "Retry-After"), "1");
  auto r2 = map_error(make_retry_error(errc::rate_limited, "slow down", 42), "r");
  EXPECT_EQ(header(r2, "Retry-After"), "42");
  auto r3 = map_error(make_error(errc::dependency_unavailable), "r");
  EXPECT_EQ(r3.status, 503);
  EXPECT_EQ(header(r3, "Retry-After"), "1");
}

TEST(error_mapping, validation_details_are_listed) {
  auto err = make_validation_error("password: must be at least 10 characters",
                                   {{"password", "too_short"}, {"email", "invalid"}});
  auto r = map_error(err, "r");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(
      r.body.find(
          R"("details":[{"field":"password","issue":"too_short"},{"field":"email","issue":"invalid"}])"),
      std::string::npos);
}

TEST(error_mapping, actor_timeout_is_overloaded_and_internal_errors_say_nothing) {
  auto t = map_error(caf::make_error(caf::sec::request_timeout), "r");
  EXPECT_EQ(t.status, 503);
  EXPECT_NE(t.body.find("overloaded"), std::string::npos);
  auto i = map_error(caf::make_error(caf::sec::runtime_error, "SELECT secret FROM x"), "r");
  EXPECT_EQ(i.status, 500);
  EXPECT_EQ(i.body.find("SELECT"), std::string::npos);
}

TEST(error_mapping, haven_internal_errors_keep_their_context_out_of_the_answer) {
  auto r = map_error(make_error(errc::internal, "password hashing failed: libpq said x"), "r");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("libpq"), std::string::npos);
  EXPECT_NE(r.body.find("internal error"), std::string::npos);
}
