#include "actors/auth/passwords.hpp"

#include <sodium.h>

#include "actors/auth/sodium_init.hpp"

namespace haven::auth {

const char* to_string(password_issue x) {
  switch (x) {
    case password_issue::none:
      return "none";
    case password_issue::too_short:
      return "too_short";
    case password_issue::too_long:
      return "too_long";
    case password_issue::invalid_utf8:
      return "invalid_utf8";
  }
  return "unknown";
}

std::optional<size_t> utf8_code_points(std::string_view s) {
  size_t count = 0;
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (b < 0x80) {
      len = 1, cp = b;
    } else if ((b & 0xe0) == 0xc0) {
      len = 2, cp = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      len = 3, cp = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      len = 4, cp = b & 0x07;
    } else {
      return std::nullopt; // a continuation byte or 0xf8..0xff where a lead belongs
    }
    if (i + len > s.size())
      return std::nullopt;
    for (size_t k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xc0) != 0x80)
        return std::nullopt;
      cp = (cp << 6) | (c & 0x3f);
    }
    static const uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return std::nullopt; // overlong, out of range, or a UTF-16 surrogate
    i += len;
    ++count;
  }
  return count;
}

password_issue check_password(std::string_view password) {
  auto n = utf8_code_points(password);
  if (!n)
    return password_issue::invalid_utf8;
  if (*n < min_password_chars)
    return password_issue::too_short;
  if (*n > max_password_chars)
    return password_issue::too_long;
  return password_issue::none;
}

std::optional<std::string> hash_password(std::string_view password, const argon_params& params) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.opslimit, params.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return std::nullopt;
  return std::string{out};
}

bool verify_password(const std::string& encoded, std::string_view password) {
  ensure_sodium();
  // libsodium reads `encoded` up to its NUL within crypto_pwhash_STRBYTES.
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES)
    return false;
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(const std::string& encoded, const argon_params& params) {
  ensure_sodium();
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES)
    return true;
  // Checks the algorithm too: only argon2id with exactly these costs is current.
  return crypto_pwhash_argon2id_str_needs_rehash(encoded.c_str(), params.opslimit,
                                                 params.memlimit) != 0;
}

std::string make_dummy_hash(const argon_params& params) {
  ensure_sodium();
  unsigned char secret[32];
  randombytes_buf(secret, sizeof secret);
  auto h = hash_password({reinterpret_cast<const char*>(secret), sizeof secret}, params);
  sodium_memzero(secret, sizeof secret);
  return h ? *h : std::string{};
}

} // namespace haven::auth
