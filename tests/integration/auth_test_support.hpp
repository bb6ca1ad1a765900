#pragma once

// Helpers shared by the auth_*_test.cpp files: one real stack and one real
// node per test suite, JSON requests, field reads, and account creation.

#include <atomic>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "base/json/json_writer.hpp"
#include "tests/integration/support/haven_process.hpp"
#include "tests/integration/support/http_client.hpp"
#include "tests/integration/support/stack_test.hpp"

namespace haven::test::auth {

using headers = std::vector<std::pair<std::string, std::string>>;

/// One request on a fresh connection. `body` is sent as application/json
/// unless `content_type` says otherwise; `token` adds a Bearer header.
inline http_response call(uint16_t port, const std::string& method, const std::string& path,
                          const std::string& body = {}, const std::string& token = {},
                          headers extra = {},
                          const std::string& content_type = "application/json") {
  headers h = std::move(extra);
  if (!body.empty())
    h.emplace_back("Content-Type", content_type);
  if (!token.empty())
    h.emplace_back("Authorization", "Bearer " + token);
  return http_exchange(port, make_request(method, path, h, body), std::chrono::seconds(15));
}

/// The string at a JSON pointer ("/user/id"), "<null>" for null, "<missing>"
/// when absent, numbers and booleans as text.
inline std::string field(const std::string& body, const char* pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc, v;
  if (parser.parse(body).get(doc) != simdjson::SUCCESS)
    return "<not json>";
  if (doc.at_pointer(pointer).get(v) != simdjson::SUCCESS)
    return "<missing>";
  if (v.is_null())
    return "<null>";
  if (v.is_string())
    return std::string{v.get_string().value()};
  return simdjson::minify(v);
}

inline std::string field(const http_response& r, const char* pointer) {
  return field(r.body, pointer);
}

/// A JSON object from (key, value) pairs of strings.
inline std::string obj(const std::vector<std::pair<std::string, std::string>>& kv) {
  json::writer w;
  w.begin_object();
  for (auto& [k, v] : kv)
    w.field(k, v);
  return std::move(w.end_object()).str();
}

inline std::string unique_email(const std::string& tag = "user") {
  static std::atomic<int> n{0};
  static const auto salt = std::random_device{}();
  return tag + "-" + std::to_string(salt % 100000) + "-" + std::to_string(++n) + "@example.org";
}

constexpr const char* default_password = "correct horse battery";

struct account {
  std::string id, email, handle, access, refresh, org_id, role;
  std::string password = default_password;
};

inline account from_tokens(const http_response& r) {
  account a;
  a.id = field(r, "/user/id");
  a.email = field(r, "/user/email");
  a.handle = field(r, "/user/handle");
  a.access = field(r, "/access_token");
  a.refresh = field(r, "/refresh_token");
  a.org_id = field(r, "/user/org_id");
  a.role = field(r, "/user/role");
  return a;
}

/// Registers (fails the test unless 201) and returns the account.
inline account register_account(uint16_t port,
                                std::vector<std::pair<std::string, std::string>> kv = {}) {
  bool has_password = false;
  for (auto& [k, v] : kv)
    has_password |= k == "password";
  if (!has_password)
    kv.emplace_back("password", default_password);
  auto r = call(port, "POST", "/v1/auth/register", obj(kv));
  EXPECT_EQ(r.status, 201) << r.body;
  auto a = from_tokens(r);
  for (auto& [k, v] : kv)
    if (k == "password")
      a.password = v;
  return a;
}

/// Environment for nodes of these tests: generous throttles and rate limits unless a test
/// sets its own, debug logs (more chances to catch a leaked secret).
inline env_map auth_env(const stack& s, env_map extra = {}) {
  env_map base{{"HAVEN_AUTH_ADDR_LIMIT", "100000"},
               {"HAVEN_LOGIN_MAX_FAILURES_ADDR", "100000"},
               // API.md section 2 limits every /v1 route: out of the way here,
               // rate_limit_test.cpp sets its own.
               {"HAVEN_RATE_LIMIT_FREE", "1000000"},
               {"HAVEN_RATE_LIMIT_PREMIUM", "1000000"},
               {"HAVEN_RATE_LIMIT_ADMIN", "1000000"},
               {"HAVEN_RATE_LIMIT_ANON", "1000000"},
               {"HAVEN_LOG_LEVEL", "debug"}};
  for (auto& [k, v] : extra)
    base[k] = v;
  return node_env(s, base);
}

/// A test suite with its own stack and one ready node (started with the
/// defaults; a suite that wants other settings calls start(extra) in its own
/// SetUpTestSuite).
class auth_suite : public stack_test {
 protected:
  static void SetUpTestSuite() { start(); }
  static void TearDownTestSuite() { stop(); }

  static void start(env_map extra = {}) {
    start_stack();
    if (stack_ == nullptr)
      return; // every test fails in SetUp with the reason
    node_ = std::make_unique<haven_process>(auth_env(*stack_, std::move(extra)));
    ASSERT_TRUE(node_->wait_until_ready()) << node_->log_text();
  }
  static void stop() {
    node_.reset();
    stop_stack();
  }
  static uint16_t port() { return node_->port(); }

  static inline std::unique_ptr<haven_process> node_;
};

} // namespace haven::test::auth
