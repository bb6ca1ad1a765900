#include "actors/moderation/pii_detail.hpp"

// E-mail addresses: a deliberately loose ASCII match (RFC 5322 quoted local
// parts and IDN domains are out of scope), tuned for addresses as people type
// them in chat: inside sentences, with +tags and subdomains, followed by
// punctuation that is not part of the address.

namespace haven::moderation::detail {

namespace {

bool is_local_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool is_domain_char(char c) {
  return is_alnum(c) || c == '.' || c == '-';
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// At least two labels, none empty or edged by '-', and an alphabetic TLD of
// two or more letters ("me@home" and "a@1.2" are not addresses).
bool valid_domain(std::string_view d) {
  size_t labels = 0;
  size_t start = 0;
  while (start <= d.size()) {
    size_t dot = d.find('.', start);
    if (dot == std::string_view::npos)
      dot = d.size();
    std::string_view label = d.substr(start, dot - start);
    if (label.empty() || label.front() == '-' || label.back() == '-')
      return false;
    ++labels;
    if (dot == d.size()) {
      if (label.size() < 2)
        return false;
      for (char c : label)
        if (!is_alpha(c))
          return false;
      break;
    }
    start = dot + 1;
  }
  return labels >= 2;
}

bool allowed(std::string_view addr, const pii_allowlist& allow) {
  for (const auto& a : allow.emails) {
    if (a.size() != addr.size())
      continue;
    bool same = true;
    for (size_t i = 0; i < a.size() && same; ++i)
      same = lower(a[i]) == lower(addr[i]);
    if (same)
      return true;
  }
  return false;
}

} // namespace

void find_emails(std::string_view text, const pii_allowlist& allow, std::vector<pii_span>& out) {
  size_t floor = 0; // never reach back into an address already taken
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    if (at < floor)
      continue;
    size_t l = at;
    while (l > floor && is_local_char(text[l - 1]))
      --l;
    while (l < at && text[l] == '.') // a sentence's full stop is not the address
      ++l;
    if (l == at)
      continue;
    size_t r = at + 1;
    while (r < text.size() && is_domain_char(text[r]))
      ++r;
    while (r > at + 1 && (text[r - 1] == '.' || text[r - 1] == '-'))
      --r;
    if (!valid_domain(text.substr(at + 1, r - at - 1)))
      continue;
    floor = r;
    if (allowed(text.substr(l, r - l), allow))
      continue;
    out.push_back({l, r, pii_kind::email});
  }
}

} // namespace haven::moderation::detail
