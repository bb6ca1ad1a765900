#include "actors/auth/refresh_tokens.hpp"

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
  ensure_sodium();
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace haven::auth
