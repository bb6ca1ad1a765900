#pragma once

#include <string>
#include <string_view>

// Opaque secrets handed to clients (refresh tokens; password-reset tokens and
// invite codes can use the same helpers). Only their hashes are stored.
//
// The hash is an unsalted SHA-256 on purpose: a token is 256 random bits, so
// there is nothing to brute-force and no dictionary to salt against; a slow
// hash (Argon2) would only cost time on every refresh. Unsalted also means the
// hash can be looked up directly by a unique index.

namespace haven::auth {

struct opaque_token {
  std::string token; // base64url of 32 random bytes (43 chars): give to the client
  std::string hash;  // token_hash(token): store this
};

/// 32 bytes from randombytes_buf (the OS CSPRNG), base64url, and its hash.
opaque_token new_opaque_token();

/// Lower-case hex SHA-256 of the token text (64 chars).
std::string token_hash(std::string_view token);

/// True when `token` has the shape new_opaque_token produces (43 base64url
/// chars decoding to 32 bytes): cheap rejection before any store lookup.
bool looks_like_opaque_token(std::string_view token);

/// Constant-time equality for hashes, tokens and other secrets: every byte is
/// read, with no branch on their values, eight at a time (sodium_memcmp reads
/// one byte per volatile access: ~1 us for a 300-byte bearer header, compared
/// up to three times per request, was 16 % of GET /v1/auth/me). Different
/// lengths are unequal (a length is not secret).
bool equal_constant_time(std::string_view a, std::string_view b);

} // namespace haven::auth
