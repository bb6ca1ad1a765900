#include "io/http/error_mapping.hpp"

#include <algorithm>

#include <caf/sec.hpp>

namespace haven::http {

int status_of(errc code) {
  switch (code) {
    case errc::invalid_json:
      return 400;
    case errc::validation_failed:
      return 422;
    case errc::unauthorized:
    case errc::invalid_credentials:
      return 401;
    case errc::forbidden:
      return 403;
    case errc::not_found:
      return 404;
    case errc::conflict:
    case errc::email_taken:
    case errc::slug_taken:
    case errc::invite_used:
      return 409;
    case errc::rate_limited:
      return 429;
    case errc::dependency_unavailable:
    case errc::overloaded:
      return 503;
    case errc::internal:
      return 500;
  }
  return 500;
}

const char* default_message(errc code) {
  switch (code) {
    case errc::invalid_json:
      return "request body is not valid JSON";
    case errc::validation_failed:
      return "request failed validation";
    case errc::unauthorized:
      return "missing or invalid access token";
    case errc::invalid_credentials:
      return "invalid credentials";
    case errc::forbidden:
      return "your role does not allow this";
    case errc::not_found:
      return "not found";
    case errc::conflict:
      return "conflict";
    case errc::email_taken:
      return "this email is already registered";
    case errc::slug_taken:
      return "this organization slug is taken";
    case errc::invite_used:
      return "this invite code was already used";
    case errc::rate_limited:
      return "too many requests";
    case errc::dependency_unavailable:
      return "a service this request needs is unavailable";
    case errc::overloaded:
      return "the server is overloaded, retry later";
    case errc::internal:
      return "internal error";
  }
  return "internal error";
}

namespace {

std::vector<field_issue> decode_details(const std::string& encoded) {
  std::vector<field_issue> out;
  for (auto& [field, issue] : decode_field_issues(encoded))
    out.push_back({field, issue});
  return out;
}

} // namespace

response map_error(const caf::error& err, std::string_view request_id) {
  if (err.category() != errc_category) {
    if (err.category() == caf::atom("system") &&
        err.code() == static_cast<uint8_t>(caf::sec::request_timeout)) {
      auto r = error_response(503, "overloaded", default_message(errc::overloaded), request_id);
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    return error_response(500, "internal", default_message(errc::internal), request_id);
  }
  auto code = static_cast<errc>(err.code());
  auto& ctx = err.context();
  std::string message = default_message(code);
  std::vector<field_issue> details;
  uint32_t retry_after = 1;
  // An internal error's context is for the log ("password hashing failed",
  // a libpq message): the client gets the generic text (API.md section 1).
  if (code != errc::internal && ctx.size() >= 1 && ctx.match_element<std::string>(0))
    message = ctx.get_as<std::string>(0);
  if (ctx.size() >= 2 && ctx.match_element<std::string>(1))
    details = decode_details(ctx.get_as<std::string>(1));
  if (ctx.size() >= 2 && ctx.match_element<uint32_t>(1))
    retry_after = std::max<uint32_t>(1, ctx.get_as<uint32_t>(1));
  auto r = error_response(status_of(code), to_string(code), message, request_id, details);
  switch (code) {
    case errc::unauthorized:
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      break;
    case errc::rate_limited:
    case errc::dependency_unavailable:
    case errc::overloaded:
      r.headers.emplace_back("Retry-After", std::to_string(retry_after));
      break;
    default:
      break;
  }
  return r;
}

} // namespace haven::http
