#pragma once

#include <optional>
#include <string>
#include <string_view>

// Field rules of API.md section 3, pure (unit-tested in
// tests/unit/actors/auth/validation_test.cpp). The edge applies them before a
// request reaches the auth actor, so every 422 lists all broken rules at once.

namespace haven::auth {

/// The longest email we accept (RFC 5321's path limit).
constexpr size_t max_email_chars = 254;
constexpr size_t max_display_name_chars = 100;
constexpr size_t max_org_name_chars = 200;

/// Trims ASCII and Unicode whitespace (NBSP, U+2000.., ideographic space, BOM)
/// and lower-cases ASCII letters (API.md: "Emails are trimmed and lower-cased
/// before use"). Non-ASCII bytes inside are kept (valid_email refuses them).
std::string normalize_email(std::string_view raw);

/// A normalized email: 3..254 characters, exactly one '@', a non-empty local
/// part, a domain with a dot that neither starts nor ends with one, no
/// whitespace or control characters, no quotes or angle brackets, ASCII only
/// (L3: without NFC and case folding, non-ASCII forms of one address would be
/// distinct accounts; IDN domains work in their punycode form). Deliberately
/// simple: the reset mail is the real check.
bool valid_email(std::string_view email);

/// `^[a-z0-9-]{3,63}$`
bool valid_slug(std::string_view slug);

/// Roles of API.md section 3.
bool valid_role(std::string_view role);

/// Trimmed display or organization name: nullopt when empty after trimming or
/// when it holds control characters (C0, DEL; line breaks included).
std::optional<std::string> clean_name(std::string_view raw);

/// A lower-case hyphenated UUID (what we hand out as ids).
bool valid_uuid(std::string_view s);

} // namespace haven::auth
