#include "actors/auth/signing_keys.hpp"

#include <algorithm>
#include <stdexcept>

#include "actors/auth/base64url.hpp"
#include "actors/auth/sodium_init.hpp"
#include "base/json/json_writer.hpp"
#include "base/text.hpp"

namespace haven::auth {

namespace {

// Decodes base64 in any of libsodium's four variants into `out` (max `cap`).
// Returns the decoded length, or 0 on failure.
size_t decode_any_base64(std::string_view text, unsigned char* out, size_t cap) {
  // libsodium 1.0.18 decodes bytes >= 0x80 as '_' (see base64url.cpp): refuse them.
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80)
      return 0;
  const int variants[] = {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                          sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING};
  for (int v : variants) {
    size_t len = 0;
    if (sodium_base642bin(out, cap, text.data(), text.size(), nullptr, &len, nullptr, v) == 0)
      return len;
  }
  return 0;
}

} // namespace

bool valid_kid(std::string_view kid) {
  if (kid.empty() || kid.size() > 64 || kid.front() == '.')
    return false;
  return std::all_of(kid.begin(), kid.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

signing_key key_from_seed(std::string kid, const unsigned char (&seed)[crypto_sign_SEEDBYTES]) {
  ensure_sodium();
  signing_key key;
  key.kid = std::move(kid);
  crypto_sign_seed_keypair(key.pk.data(), key.sk.data(), seed);
  return key;
}

signing_key random_key(std::string kid) {
  ensure_sodium();
  unsigned char seed[crypto_sign_SEEDBYTES];
  randombytes_buf(seed, sizeof seed);
  auto key = key_from_seed(std::move(kid), seed);
  sodium_memzero(seed, sizeof seed);
  return key;
}

std::optional<signing_key> parse_key_file(std::string kid, std::string_view text) {
  ensure_sodium();
  text = trim(text);
  unsigned char raw[crypto_sign_SECRETKEYBYTES + 1]; // +1 so a longer input fails to fit
  size_t len = decode_any_base64(text, raw, sizeof raw);
  std::optional<signing_key> result;
  if (len == crypto_sign_SEEDBYTES || len == crypto_sign_SECRETKEYBYTES) {
    unsigned char seed[crypto_sign_SEEDBYTES];
    std::copy(raw, raw + crypto_sign_SEEDBYTES, seed);
    auto key = key_from_seed(std::move(kid), seed);
    sodium_memzero(seed, sizeof seed);
    // A full secret key carries its public half: it must be the one the seed
    // derives, else the file is corrupt (or hand-edited) and we refuse it.
    bool consistent = len == crypto_sign_SEEDBYTES ||
                      sodium_memcmp(raw + crypto_sign_SEEDBYTES, key.pk.data(), key.pk.size()) == 0;
    if (consistent)
      result = std::move(key);
    else
      sodium_memzero(key.sk.data(), key.sk.size());
  }
  sodium_memzero(raw, sizeof raw);
  return result;
}

std::string key_file_text(const signing_key& key) {
  ensure_sodium();
  constexpr int v = sodium_base64_VARIANT_ORIGINAL;
  char buf[sodium_base64_ENCODED_LEN(crypto_sign_SEEDBYTES, v)];
  // libsodium's secret key starts with the 32-byte seed.
  sodium_bin2base64(buf, sizeof buf, key.sk.data(), crypto_sign_SEEDBYTES, v);
  std::string text{buf};
  sodium_memzero(buf, sizeof buf);
  text += '\n';
  return text;
}

signing_keys::signing_keys(std::vector<signing_key> keys) : keys_(std::move(keys)) {
  if (keys_.empty())
    throw std::invalid_argument("signing_keys: empty key ring");
  std::sort(keys_.begin(), keys_.end(),
            [](const signing_key& a, const signing_key& b) { return a.kid < b.kid; });
  auto dup = std::adjacent_find(keys_.begin(), keys_.end(),
                                [](const auto& a, const auto& b) { return a.kid == b.kid; });
  if (dup != keys_.end())
    throw std::invalid_argument("signing_keys: duplicate kid");
  // Kept out of swap (audit L7). Best effort: a tight RLIMIT_MEMLOCK refuses,
  // and the keys then stay in ordinary memory (core dumps are off anyway, main.cpp).
  for (auto& k : keys_)
    sodium_mlock(k.sk.data(), k.sk.size());
}

signing_keys::~signing_keys() {
  for (auto& k : keys_)
    sodium_munlock(k.sk.data(), k.sk.size()); // also wipes them
}

const signing_key* signing_keys::find(std::string_view kid) const {
  // Few keys (one, two during a rotation): a linear scan beats any index.
  for (const auto& k : keys_)
    if (k.kid == kid)
      return &k;
  return nullptr;
}

std::string signing_keys::jwks_json() const {
  json::writer w;
  w.begin_object().key("keys").begin_array();
  for (const auto& k : keys_) {
    w.begin_object()
        .field("kty", "OKP")
        .field("crv", "Ed25519")
        .field("x", b64url_encode(k.pk.data(), k.pk.size()))
        .field("kid", k.kid)
        .field("alg", "EdDSA")
        .field("use", "sig")
        .end_object();
  }
  w.end_array().end_object();
  return std::move(w).str();
}

} // namespace haven::auth
