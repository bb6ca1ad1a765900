#include "actors/auth/refresh_tokens.hpp"

#include <cstring>

#include <sodium.h>

#include "actors/auth/base64url.hpp"
#include "actors/auth/sodium_init.hpp"

namespace haven::auth {

namespace {

constexpr size_t token_bytes = 32; // 256 bits (API.md section 3)

} // namespace

opaque_token new_opaque_token() {
  ensure_sodium();
  unsigned char raw[token_bytes];
  randombytes_buf(raw, sizeof raw);
  opaque_token t;
  t.token = b64url_encode(raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
  t.hash = token_hash(t.token);
  return t;
}

std::string token_hash(std::string_view token) {
  ensure_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string{hex, sizeof hex - 1};
}

bool looks_like_opaque_token(std::string_view token) {
  unsigned char raw[token_bytes];
  bool ok = b64url_decode_exact(token, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
  return ok;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  uint64_t diff = 0;
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    diff |= x ^ y;
  }
  for (; i < a.size(); ++i)
    diff |=
        static_cast<uint64_t>(static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
  // Through a volatile so the compiler cannot turn the loop into an early exit.
  volatile uint64_t result = diff;
  return result == 0;
}

} // namespace haven::auth
