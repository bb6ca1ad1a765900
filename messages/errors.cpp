#include "messages/errors.hpp"

namespace haven {

const char* to_string(errc x) {
  switch (x) {
    case errc::invalid_json:
      return "invalid_json";
    case errc::validation_failed:
      return "validation_failed";
    case errc::unauthorized:
      return "unauthorized";
    case errc::invalid_credentials:
      return "invalid_credentials";
    case errc::forbidden:
      return "forbidden";
    case errc::not_found:
      return "not_found";
    case errc::conflict:
      return "conflict";
    case errc::email_taken:
      return "email_taken";
    case errc::slug_taken:
      return "slug_taken";
    case errc::invite_used:
      return "invite_used";
    case errc::rate_limited:
      return "rate_limited";
    case errc::dependency_unavailable:
      return "dependency_unavailable";
    case errc::overloaded:
      return "overloaded";
    case errc::internal:
      return "internal";
  }
  return "internal";
}

caf::error make_validation_error(std::string message,
                                 const std::vector<std::pair<std::string, std::string>>& issues) {
  std::string encoded;
  for (auto& [field, issue] : issues) {
    encoded += field;
    encoded += '\t';
    encoded += issue;
    encoded += '\n';
  }
  return {static_cast<uint8_t>(errc::validation_failed), errc_category,
          caf::make_message(std::move(message), std::move(encoded))};
}

// Context (message, details, constraint): the details slot stays empty so
// map_error shows the message and nothing else.
caf::error make_conflict_error(std::string constraint) {
  return {static_cast<uint8_t>(errc::conflict), errc_category,
          caf::make_message(std::string{"a conflicting record exists"}, std::string{},
                            std::move(constraint))};
}

std::string conflict_constraint(const caf::error& err) {
  if (err.category() != errc_category || err.code() != static_cast<uint8_t>(errc::conflict))
    return {};
  auto& ctx = err.context();
  if (ctx.size() == 3 && ctx.match_element<std::string>(2))
    return ctx.get_as<std::string>(2);
  return {};
}

std::vector<std::pair<std::string, std::string>> decode_field_issues(const std::string& encoded) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos < encoded.size()) {
    auto tab = encoded.find('\t', pos);
    auto nl = encoded.find('\n', pos);
    if (tab == std::string::npos || nl == std::string::npos || tab > nl)
      break;
    out.emplace_back(encoded.substr(pos, tab - pos), encoded.substr(tab + 1, nl - tab - 1));
    pos = nl + 1;
  }
  return out;
}

} // namespace haven
