#include <algorithm>

#include "actors/moderation/pii_detail.hpp"

namespace haven::moderation {

namespace {

std::string_view placeholder(detail::pii_kind k) {
  switch (k) {
    case detail::pii_kind::email:
      return "[EMAIL]";
    case detail::pii_kind::phone:
      return "[PHONE]";
    case detail::pii_kind::card:
      return "[CARD]";
  }
  return "[PII]";
}

} // namespace

pii_result redact_pii(std::string_view text, const pii_allowlist& allow) {
  std::vector<detail::pii_span> spans;
  detail::find_emails(text, allow, spans);
  // Numbers only between addresses, so digits inside an address stay there.
  const size_t emails = spans.size();
  size_t from = 0;
  for (size_t k = 0; k <= emails; ++k) {
    size_t to = k < emails ? spans[k].begin : text.size();
    detail::find_numbers(text, from, to, allow, spans);
    if (k < emails)
      from = spans[k].end;
  }
  std::sort(spans.begin(), spans.end(),
            [](const detail::pii_span& a, const detail::pii_span& b) { return a.begin < b.begin; });

  pii_result r;
  if (spans.empty()) {
    r.text.assign(text.data(), text.size());
    return r;
  }
  r.text.reserve(text.size());
  size_t pos = 0;
  for (const auto& s : spans) {
    r.text.append(text.data() + pos, s.begin - pos);
    r.text.append(placeholder(s.kind));
    pos = s.end;
    switch (s.kind) {
      case detail::pii_kind::email:
        ++r.found.email;
        break;
      case detail::pii_kind::phone:
        ++r.found.phone;
        break;
      case detail::pii_kind::card:
        ++r.found.card;
        break;
    }
  }
  r.text.append(text.data() + pos, text.size() - pos);
  return r;
}

} // namespace haven::moderation
