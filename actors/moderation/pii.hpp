#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// PII detection and redaction for POST /v1/safety/validate: e-mail addresses,
// phone numbers and payment card numbers are replaced by the exact
// placeholders `[EMAIL]`, `[PHONE]` and `[CARD]`. The result says only which
// kinds were found and how often: the PII itself is never returned apart from
// the redacted text, so nothing that logs a pii_counts can leak it.
//
// Rules (docs/safety.md, "Moderation", has the reasoning):
// - e-mail: ASCII local part [A-Za-z0-9._%+-] @ domain with at least one dot
//   and an alphabetic TLD of 2+ letters; trailing dots/hyphens are not part of
//   it ("mail a@b.com." keeps the full stop).
// - card: 13-19 digits, first digit 2-6 (all payment networks in use), plain
//   or grouped in fours (4-6-5 and 4-6-4 too), passing the Luhn check.
// - phone: `+` and 8-15 digits; `00` and 8-15 digits; a trunk `0` and 10-11
//   digits (Kenya 0712 345 678, UK 020 7946 0958); North American 10 digits
//   as 3-3-4 / (3) 3-4 / one run, optionally led by `1`.
// - never: years, dates, times, prices, versions, IP addresses, short order
//   numbers; a number glued to letters or after `#`, `$` or `@`; a 13-19 digit
//   run that fails Luhn or starts with 0/1/7/8/9 (order or tracking numbers,
//   timestamps) unless it is written as an international number.

namespace haven::moderation {

struct pii_counts {
  uint32_t email = 0;
  uint32_t phone = 0;
  uint32_t card = 0;

  uint32_t total() const { return email + phone + card; }
  bool any() const { return total() != 0; }
};

struct pii_result {
  std::string text; ///< the input with every match replaced by its placeholder
  pii_counts found;
};

/// Numbers and addresses that are never redacted, e.g. the crisis lines the
/// assistant is meant to give out. Phones compare on digits only (list both
/// "+254722178177" and "0722178177" forms if both may appear); e-mails compare
/// case-insensitively.
struct pii_allowlist {
  std::vector<std::string> phones;
  std::vector<std::string> emails;
};

/// Redacts every e-mail, phone number and card number in `text`. Bytes that
/// are not part of a match are copied unchanged, whatever they are (invalid
/// UTF-8 and NUL included).
pii_result redact_pii(std::string_view text, const pii_allowlist& allow = {});

/// True if the digits of `s` (other characters ignored) pass the Luhn check
/// and there are at least two of them.
bool luhn_valid(std::string_view s);

} // namespace haven::moderation
