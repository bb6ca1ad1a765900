#include "actors/auth/routes/route_support.hpp"

#include "actors/auth/passwords.hpp"
#include "actors/auth/validation.hpp"
#include "io/http/client_address.hpp"

namespace haven::auth {

std::optional<access_claims> caller(const route_deps& d, http::exchange& ex) {
  auto claims = d.gate->authorized(ex);
  if (!claims) {
    ex.reply.fail(claims.error());
    return std::nullopt;
  }
  return std::move(*claims);
}

std::string read_password(http::body_reader& b, std::string_view field, bool required,
                          bool check_rules) {
  bool present = b.has(field);
  auto pw = b.optional_string(field, max_password_chars);
  std::string name{field};
  if (!present) {
    if (required)
      b.add_issue(name, "required", name + ": is required");
    return {};
  }
  if (!pw)
    return {}; // wrong type or too long: already an issue
  if (check_rules) {
    auto issue = check_password(*pw);
    if (issue == password_issue::too_short)
      b.add_issue(name, "too_short",
                  name + ": must be at least " + std::to_string(min_password_chars) +
                      " characters");
    else if (issue != password_issue::none)
      b.add_issue(name, to_string(issue), name + ": is not a valid password");
    if (issue != password_issue::none)
      return {};
  } else if (pw->empty()) {
    b.add_issue(name, "required", name + ": is required");
  }
  return std::move(*pw);
}

std::string read_email(http::body_reader& b, std::string_view field) {
  auto raw = b.optional_string(field, 320);
  if (!raw)
    return {};
  auto email = normalize_email(*raw);
  std::string name{field};
  if (!valid_email(email)) {
    b.add_issue(name, "invalid", name + ": is not a valid email address");
    return {};
  }
  return email;
}

std::string read_name(http::body_reader& b, std::string_view field, size_t max_chars) {
  auto raw = b.optional_string(field, max_chars * 2);
  if (!raw)
    return {};
  auto clean = clean_name(*raw);
  std::string name{field};
  if (!clean || http::utf8_length(*clean) > max_chars) {
    b.add_issue(name, clean ? "too_long" : "invalid",
                name + ": must be 1.." + std::to_string(max_chars) +
                    " characters without control characters");
    return {};
  }
  return std::move(*clean);
}

std::string client_addr(const route_deps& d, const http::exchange& ex) {
  return http::client_address(ex.req, ex.remote, d.cfg->trusted_proxies);
}

} // namespace haven::auth
