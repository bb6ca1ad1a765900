// libFuzzer target: the JSON body readers of every route with a body. The input
// is a request body; like the edge (io/http/http_server.cpp dispatch) it is
// parsed once with simdjson (not JSON: the edge answers 400 and no reader runs;
// empty: the readers get no root), then every route's reading sequence runs on
// it.
//
// The route handlers themselves (actors/*/routes/*_routes.cpp) live in anonymous
// namespaces next to CAF requests, so their reading sequences are repeated
// below, step for step; every function they call is the real one:
// http::body_reader, auth::read_email/read_password/read_name (route_support),
// auth::valid_slug/valid_role/normalize_email, crisis::read_detect and
// read_validate (also the NATS safety ingress), moderation::status_for_decision,
// and for every refused body http::map_error (the 422 answer). The accessors of
// body_reader that no route uses yet run too.
//
// Invariants: what a reader returns for an accepted body obeys the field's rule
// (re-checked with the pure validators), a refused body maps to a 422 whose
// body is valid JSON listing at least one issue. Seeds: tests/fuzz/corpus/json_bodies/.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "actors/auth/passwords.hpp"
#include "actors/auth/routes/route_support.hpp"
#include "actors/auth/validation.hpp"
#include "actors/crisis/routes/safety_fields.hpp"
#include "actors/moderation/categories.hpp"
#include "actors/moderation/queue_rules.hpp"
#include "io/http/body_reader.hpp"
#include "io/http/error_mapping.hpp"
#include "messages/errors.hpp"

namespace {

using haven::http::body_reader;
namespace auth = haven::auth;
namespace crisis = haven::crisis;
namespace http = haven::http;

std::string_view current_input;

[[noreturn]] void fail(const char* what, const char* route) {
  std::fprintf(stderr, "fuzz invariant broken in %s: %s\nbody (%zu bytes): ", route, what,
               current_input.size());
  for (unsigned char c : current_input)
    std::fprintf(stderr, c >= 0x20 && c < 0x7f && c != '\\' ? "%c" : "\\x%02x", c);
  std::fprintf(stderr, "\n");
  std::abort();
}

#define FUZZ_CHECK(cond)                                                                           \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      fail(#cond, route);                                                                          \
  } while (false)

simdjson::dom::parser& answer_parser() {
  static simdjson::dom::parser p;
  return p;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f)
      return true;
  return false;
}

// The end of every handler: a refused body becomes one 422 listing its issues.
void finish(body_reader& b, const char* route) {
  if (b.ok())
    return;
  caf::error err = b.error();
  FUZZ_CHECK(err.category() == haven::errc_category);
  FUZZ_CHECK(err.code() == static_cast<uint8_t>(haven::errc::validation_failed));
  http::response r = http::map_error(err, "fuzz-request-id");
  FUZZ_CHECK(r.status == 422);
  simdjson::dom::element answer;
  FUZZ_CHECK(answer_parser().parse(r.body).get(answer) == simdjson::SUCCESS);
  simdjson::dom::array details;
  FUZZ_CHECK(answer["error"]["details"].get_array().get(details) == simdjson::SUCCESS);
  FUZZ_CHECK(details.size() >= 1);
  std::string_view message;
  FUZZ_CHECK(answer["error"]["message"].get_string().get(message) == simdjson::SUCCESS);
  FUZZ_CHECK(!message.empty());
}

void check_email(const std::string& email, const char* route) {
  if (!email.empty())
    FUZZ_CHECK(auth::valid_email(email) && auth::normalize_email(email) == email);
}

void check_name(const std::string& name, size_t max_chars, const char* route) {
  if (!name.empty()) {
    FUZZ_CHECK(!has_control(name));
    FUZZ_CHECK(http::utf8_length(name) <= max_chars);
    FUZZ_CHECK(auth::clean_name(name) == name); // already trimmed
  }
}

void check_new_password(const std::string& pw, const char* route) {
  if (!pw.empty())
    FUZZ_CHECK(auth::check_password(pw) == auth::password_issue::none);
}

// POST /v1/auth/register (account_routes.cpp on_register).
void on_register(const simdjson::dom::element* root) {
  const char* route = "register";
  body_reader b{root};
  auto email = auth::read_email(b, "email");
  auto password = auth::read_password(b, "password", true, true);
  auto display = auth::read_name(b, "display_name", auth::max_display_name_chars);
  auto org_name = auth::read_name(b, "org_name", auth::max_org_name_chars);
  bool has_slug = b.has("org_slug");
  auto slug = b.optional_string("org_slug", 63);
  std::string org_slug;
  if (slug && !auth::valid_slug(*slug))
    b.add_issue("org_slug", "invalid", "org_slug: must match ^[a-z0-9-]{3,63}$");
  else if (slug)
    org_slug = *slug;
  if (has_slug != b.has("org_name"))
    b.add_issue(has_slug ? "org_name" : "org_slug", "required",
                "org_name and org_slug go together");
  auto invite = b.optional_string("invite_code", 128);
  if (invite && (has_slug || b.has("org_name")))
    b.add_issue("invite_code", "conflict",
                "invite_code: cannot be combined with a new organization");
  if (b.ok()) {
    FUZZ_CHECK(!password.empty());
    check_new_password(password, route);
    if (!org_slug.empty())
      FUZZ_CHECK(auth::valid_slug(org_slug));
    if (invite)
      FUZZ_CHECK(http::utf8_length(*invite) <= 128);
  }
  check_email(email, route);
  check_name(display, auth::max_display_name_chars, route);
  check_name(org_name, auth::max_org_name_chars, route);
  finish(b, route);
}

// POST /v1/auth/login (on_login).
void on_login(const simdjson::dom::element* root) {
  const char* route = "login";
  body_reader b{root};
  std::string email, handle;
  bool has_email = b.has("email"), has_handle = b.has("handle");
  if (has_email && has_handle)
    b.add_issue("handle", "conflict", "send either email or handle, not both");
  else if (!has_email && !has_handle)
    b.add_issue("email", "required", "email or handle: is required");
  if (auto e = b.optional_string("email", 320))
    email = auth::normalize_email(*e);
  if (auto h = b.optional_string("handle", 64))
    handle = auth::normalize_email(*h);
  if (has_email != has_handle && email.empty() && handle.empty() && b.ok())
    b.add_issue(has_email ? "email" : "handle", "required", "email or handle: must not be empty");
  auto password = auth::read_password(b, "password", true, false);
  if (b.ok()) {
    FUZZ_CHECK(email.empty() != handle.empty());
    FUZZ_CHECK(!password.empty());
  }
  finish(b, route);
}

// POST /v1/auth/refresh and /v1/auth/logout (on_refresh, on_logout).
void on_refresh_logout(const simdjson::dom::element* root) {
  const char* route = "refresh";
  body_reader b{root};
  auto token = b.required_string("refresh_token", 128);
  if (b.ok())
    FUZZ_CHECK(http::utf8_length(token) <= 128);
  finish(b, route);
  route = "logout";
  body_reader l{root};
  auto optional = l.optional_string("refresh_token", 128);
  if (optional)
    FUZZ_CHECK(l.ok());
  finish(l, route);
}

// PATCH /v1/users/me (on_patch_me).
void on_patch_me(const simdjson::dom::element* root) {
  const char* route = "patch_me";
  body_reader b{root};
  auto display = auth::read_name(b, "display_name", auth::max_display_name_chars);
  auto email = auth::read_email(b, "email");
  auto password = auth::read_password(b, "password", false, true);
  auto current = auth::read_password(b, "current_password", false, false);
  if (b.has("password") && !b.has("current_password"))
    b.add_issue("current_password", "required",
                "current_password: is required to change the password");
  if (b.ok() && !password.empty())
    FUZZ_CHECK(!current.empty());
  check_new_password(password, route);
  check_email(email, route);
  check_name(display, auth::max_display_name_chars, route);
  finish(b, route);
}

// POST /v1/auth/password-reset/request and /confirm.
void on_password_reset(const simdjson::dom::element* root) {
  const char* route = "reset_request";
  body_reader b{root};
  if (!b.has("email"))
    b.add_issue("email", "required", "email: is required");
  auto email = auth::read_email(b, "email");
  if (b.ok())
    FUZZ_CHECK(!email.empty());
  check_email(email, route);
  finish(b, route);

  route = "reset_confirm";
  body_reader c{root};
  auto token = c.required_string("token", 128);
  auto pw = auth::read_password(c, "new_password", true, true);
  if (c.ok())
    FUZZ_CHECK(!pw.empty());
  check_new_password(pw, route);
  finish(c, route);
}

// POST /v1/orgs/current/invites and PATCH …/members/{user_id} (org_routes.cpp read_role).
void on_role(const simdjson::dom::element* root) {
  const char* route = "org_role";
  body_reader b{root};
  auto role = b.required_string("role", 32);
  if (b.has("role") && !role.empty() && !auth::valid_role(role))
    b.add_issue("role", "invalid", "role: must be admin, counselor or user");
  if (b.ok())
    FUZZ_CHECK(role.empty() || auth::valid_role(role));
  finish(b, route);
}

// POST /v1/crisis/detect (crisis_routes.cpp on_detect; also the NATS ingress).
void on_detect(const simdjson::dom::element* root) {
  const char* route = "detect";
  body_reader b{root};
  auto r = crisis::read_detect(b);
  if (b.ok()) {
    FUZZ_CHECK(!r.text.empty() && r.text.size() <= crisis::max_text_bytes);
  }
  FUZZ_CHECK(r.locale.empty() || crisis::valid_locale(r.locale));
  FUZZ_CHECK(r.session_id.empty() || crisis::valid_session_id(r.session_id));
  FUZZ_CHECK(r.text.size() <= crisis::max_text_bytes);
  finish(b, route);
}

// POST /v1/crisis/events/{id}/ack (on_ack).
void on_ack(const simdjson::dom::element* root) {
  const char* route = "ack";
  body_reader b{root};
  auto note = b.optional_string("note", 2000).value_or(std::string{});
  FUZZ_CHECK(http::utf8_length(note) <= 2000);
  finish(b, route);
}

// POST /v1/safety/validate (moderation_routes.cpp on_validate; also the NATS ingress).
void on_validate(const simdjson::dom::element* root) {
  const char* route = "validate";
  body_reader b{root};
  auto r = crisis::read_validate(b);
  if (b.ok()) {
    FUZZ_CHECK(!r.text.empty() && r.text.size() <= crisis::max_text_bytes);
    FUZZ_CHECK(haven::moderation::direction_from_string(r.direction).has_value());
  }
  finish(b, route);
}

// POST /v1/moderation/queue/{id}/resolve (on_resolve).
void on_resolve(const simdjson::dom::element* root) {
  const char* route = "resolve";
  body_reader b{root};
  auto decision = b.optional_string("decision", 16);
  if (!b.has("decision"))
    b.add_issue("decision", "required", "decision: is required");
  else if (decision && !haven::moderation::status_for_decision(*decision))
    b.add_issue("decision", "invalid", "decision: must be approve or remove");
  if (b.ok())
    FUZZ_CHECK(decision && haven::moderation::status_for_decision(*decision));
  finish(b, route);
}

// The body_reader accessors no route uses yet (optional_int, optional_bool,
// optional_object_json): results within their rules, an object's raw JSON
// parses back to an object.
void other_accessors(const simdjson::dom::element* root) {
  const char* route = "body_reader";
  body_reader b{root};
  if (auto n = b.optional_int("n", -5, 5))
    FUZZ_CHECK(*n >= -5 && *n <= 5);
  (void)b.optional_bool("flag");
  if (auto payload = b.optional_object_json("payload")) {
    static simdjson::dom::parser again;
    simdjson::dom::object object;
    FUZZ_CHECK(again.parse(*payload).get_object().get(object) == simdjson::SUCCESS);
  }
  finish(b, route);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  current_input = std::string_view(reinterpret_cast<const char*>(data), size);
  static simdjson::dom::parser parser; // one per edge, reused like the edge's
  simdjson::dom::element body;
  const simdjson::dom::element* root = nullptr;
  if (size != 0) {
    if (parser.parse(reinterpret_cast<const char*>(data), size).get(body) != simdjson::SUCCESS)
      return 0; // 400 invalid_json before any reader
    root = &body;
  }
  on_register(root);
  on_login(root);
  on_refresh_logout(root);
  on_patch_me(root);
  on_password_reset(root);
  on_role(root);
  on_detect(root);
  on_ack(root);
  on_validate(root);
  on_resolve(root);
  other_accessors(root);
  return 0;
}
