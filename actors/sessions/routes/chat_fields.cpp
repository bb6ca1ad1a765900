#include "actors/sessions/routes/chat_fields.hpp"

#include <charconv>

#include "actors/auth/validation.hpp"
#include "actors/crisis/routes/safety_fields.hpp"
#include "messages/errors.hpp"

namespace haven::sessions {

namespace {

bool blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
      return false;
  return true;
}

bool is_null_field(const simdjson::dom::element* root, std::string_view field) {
  simdjson::dom::object o;
  simdjson::dom::element v;
  return root != nullptr && root->get_object().get(o) == simdjson::SUCCESS &&
         o.at_key(field).get(v) == simdjson::SUCCESS && v.is_null();
}

} // namespace

std::optional<std::string> normalize_uuid(std::string_view s) {
  if (s.size() != 36)
    return std::nullopt;
  std::string out{s};
  for (auto& c : out)
    if (c >= 'A' && c <= 'F')
      c = static_cast<char>(c - 'A' + 'a');
  if (!auth::valid_uuid(out))
    return std::nullopt;
  return out;
}

chat_request read_chat(http::body_reader& b, const simdjson::dom::element* root) {
  chat_request r;
  bool present = b.has("message");
  auto message = b.optional_string("message", max_message_chars);
  if (!present)
    b.add_issue("message", "required", "message: is required");
  else if (message && (message->empty() || blank(*message)))
    b.add_issue("message", "too_short", "message: must be 1 to 4000 characters, not only spaces");
  if (message)
    r.message = std::move(*message);
  if (is_null_field(root, "session_id")) {
    r.is_new = true;
  } else if (auto id = b.optional_string("session_id", 64)) {
    auto uuid = normalize_uuid(*id);
    if (uuid)
      r.session_id = std::move(*uuid);
    else
      b.add_issue("session_id", "invalid", "session_id: must be a session id (UUID)");
  } else if (!b.has("session_id")) {
    r.is_new = true;
  }
  if (is_null_field(root, "locale")) // null = absent, like session_id
    return r;
  r.locale = crisis::read_locale(b);
  return r;
}

std::optional<page_query> read_page(std::optional<std::string_view> limit,
                                    std::optional<std::string_view> before, caf::error& err) {
  page_query q;
  std::vector<std::pair<std::string, std::string>> issues;
  std::string first;
  if (limit) {
    uint32_t n = 0;
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc{} || end != limit->data() + limit->size() || n < 1 || n > max_page) {
      issues.emplace_back("limit", "out_of_range");
      first = "limit: must be an integer between 1 and 200";
    } else {
      q.limit = n;
    }
  }
  if (before) {
    auto id = normalize_uuid(*before);
    if (!id) {
      issues.emplace_back("before", "invalid");
      if (first.empty())
        first = "before: must be a message id (UUID)";
    } else {
      q.before = std::move(*id);
    }
  }
  if (!issues.empty()) {
    err = make_validation_error(first, issues);
    return std::nullopt;
  }
  return q;
}

} // namespace haven::sessions
