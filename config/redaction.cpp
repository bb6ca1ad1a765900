#include "config/redaction.hpp"

#include "config/connection_strings.hpp"

namespace haven::config {

namespace {

// Masks every `password=...` query parameter (libpq URIs accept one).
void mask_query_password(std::string& url) {
  auto query = url.find('?');
  if (query == std::string::npos)
    return;
  for (size_t begin = query + 1; begin < url.size();) {
    auto end = url.find_first_of("&#", begin);
    if (end == std::string::npos)
      end = url.size();
    constexpr std::string_view key = "password=";
    if (std::string_view{url}.substr(begin, key.size()) == key) {
      url.replace(begin + key.size(), end - begin - key.size(), masked_text);
      end = begin + key.size() + masked_text.size();
    }
    if (end >= url.size() || url[end] == '#')
      return;
    begin = end + 1;
  }
}

} // namespace

std::string mask_url_password(std::string_view url) {
  std::string out{url};
  auto scheme_end = out.find("://");
  if (scheme_end == std::string::npos)
    return out;
  auto authority_begin = scheme_end + 3;
  // The last '@' anywhere, not just in the authority: a password with an
  // unencoded '/' or '?' must still be hidden (over-masking is the safe side).
  auto at = out.rfind('@');
  if (at != std::string::npos && at >= authority_begin) {
    auto colon = out.find(':', authority_begin);
    if (colon != std::string::npos && colon < at)
      out.replace(colon + 1, at - colon - 1, masked_text);
    else if (out.compare(0, scheme_end, "nats") == 0) // nats://TOKEN@host is all secret (L9)
      out.replace(authority_begin, at - authority_begin, masked_text);
  }
  mask_query_password(out);
  return out;
}

std::string mask_conninfo_password(std::string_view conninfo) {
  std::string out{conninfo};
  auto pairs = parse::conninfo(conninfo);
  if (!pairs) {
    // Unparseable: we cannot tell where the password ends, so hide the rest.
    auto at = out.find("password");
    if (at != std::string::npos)
      out.replace(at, std::string::npos, "password=" + std::string{masked_text});
    return out;
  }
  // Right to left so earlier offsets stay valid while replacing.
  for (auto pair = pairs->rbegin(); pair != pairs->rend(); ++pair)
    if (pair->keyword == "password")
      out.replace(pair->value_begin, pair->value_end - pair->value_begin, masked_text);
  return out;
}

std::string mask_connection_password(std::string_view text) {
  if (text.find("://") != std::string_view::npos)
    return mask_url_password(text);
  return mask_conninfo_password(text);
}

} // namespace haven::config
