#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "actors/moderation/pii.hpp"

// Internals of redact_pii shared by its translation units; not for callers.

namespace haven::moderation::detail {

enum class pii_kind : unsigned char { email, phone, card };

struct pii_span {
  size_t begin;
  size_t end; // exclusive
  pii_kind kind;
};

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_alnum(char c) {
  return is_digit(c) || is_alpha(c);
}

/// Appends the e-mail addresses of `text` in order.
void find_emails(std::string_view text, const pii_allowlist& allow, std::vector<pii_span>& out);

/// Appends the phone and card numbers that lie wholly inside [from, to), in
/// order. Characters outside the range are looked at only to decide whether a
/// number is glued to a word.
void find_numbers(std::string_view text, size_t from, size_t to, const pii_allowlist& allow,
                  std::vector<pii_span>& out);

} // namespace haven::moderation::detail
