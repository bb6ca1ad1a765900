#pragma once

// Helpers shared by safety_crisis_test.cpp and safety_moderation_test.cpp: an
// organization with an admin, a counselor and a user (invites), and a NATS
// subscriber that waits for one event type.

#include <chrono>
#include <optional>
#include <string>

#include "io/nats/message.hpp"
#include "tests/integration/auth_test_support.hpp"
#include "tests/integration/support/raw_nats.hpp"

namespace haven::test::safety {

using namespace haven::test::auth;
using namespace std::chrono_literals;

struct org_team {
  account admin, counselor, user;
};

inline std::string join_code(uint16_t port, const account& admin, const std::string& role) {
  auto r = call(port, "POST", "/v1/orgs/current/invites", obj({{"role", role}}), admin.access);
  EXPECT_EQ(r.status, 201) << r.body;
  return field(r, "/code");
}

/// A new organization with one account of each role.
inline org_team make_team(uint16_t port, const std::string& tag) {
  org_team t;
  auto e = unique_email(tag);
  t.admin = register_account(
      port, {{"email", e}, {"org_name", "Org " + tag}, {"org_slug", e.substr(0, e.find('@'))}});
  t.counselor = register_account(port, {{"invite_code", join_code(port, t.admin, "counselor")}});
  t.user = register_account(port, {{"invite_code", join_code(port, t.admin, "user")}});
  return t;
}

/// The first message on `sub` whose subject is `subject` and whose data
/// contains `needle` (events of earlier tests may still arrive), within `timeout`.
inline std::optional<bus_message> next_on(natsSubscription* sub, const std::string& subject,
                                          const std::string& needle,
                                          std::chrono::milliseconds timeout = 10s) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    auto m = raw_nats::next(sub, 500ms);
    if (m && m->subject == subject && m->data.find(needle) != std::string::npos)
      return m;
  }
  return std::nullopt;
}

/// {"text": …} plus more string fields.
inline std::string text_body(const std::string& text,
                             std::vector<std::pair<std::string, std::string>> more = {}) {
  more.insert(more.begin(), {"text", text});
  return obj(more);
}

} // namespace haven::test::safety
