#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Password rules and Argon2id hashing (libsodium crypto_pwhash_str*), pure and
// blocking: call these only from the detached hashing workers
// (password_hashers.hpp), never on a scheduler thread.

namespace haven::auth {

/// Argon2id cost. Default: OWASP's minimum, m = 19 MiB, t = 2 (~24 ms here);
/// a node takes it from HAVEN_ARGON_MEMORY_KIB and HAVEN_ARGON_ITERATIONS
/// (app/auth_wiring.cpp).
struct argon_params {
  unsigned long long opslimit = 2;
  size_t memlimit = size_t{19} * 1024 * 1024;
};

/// Password length in Unicode code points (API.md section 3: 10..256).
constexpr size_t min_password_chars = 10;
constexpr size_t max_password_chars = 256;
/// The most bytes a valid password can have (4 bytes per code point).
constexpr size_t max_password_bytes = 4 * max_password_chars;

enum class password_issue : uint8_t { none, too_short, too_long, invalid_utf8 };

/// "too_short", "too_long", "invalid_utf8" (the API's `details[].issue`), or "none".
const char* to_string(password_issue x);

/// Counts code points of strict UTF-8 (no overlongs, surrogates or values
/// above U+10FFFF); nothing for invalid UTF-8. No normalization: passwords are
/// compared byte for byte.
std::optional<size_t> utf8_code_points(std::string_view s);

/// The registration / change rules.
password_issue check_password(std::string_view password);

/// The encoded Argon2id string ("$argon2id$v=19$m=…"), or nothing when
/// libsodium fails (out of memory).
std::optional<std::string> hash_password(std::string_view password, const argon_params& params);

/// True when `password` matches `encoded`. False for a malformed `encoded`.
bool verify_password(const std::string& encoded, std::string_view password);

/// True when `encoded` was made with other parameters than `params` (or is
/// not an Argon2id string): the caller re-hashes after a successful login.
bool needs_rehash(const std::string& encoded, const argon_params& params);

/// A hash of a random password nobody knows, made with `params`. Verifying an
/// unknown account's login against it costs the same time as a real verify.
std::string make_dummy_hash(const argon_params& params);

} // namespace haven::auth
