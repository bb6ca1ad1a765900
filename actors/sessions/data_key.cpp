#include "actors/sessions/data_key.hpp"

#include <sodium.h>

#include "actors/auth/sodium_init.hpp"

namespace haven::sessions {

namespace {

using aead_len = unsigned long long;

// message id, a separator no id holds, user id: "a\nbc" and "ab\nc" differ.
std::string associated_data(std::string_view message_id, std::string_view user_id) {
  std::string ad;
  ad.reserve(message_id.size() + 1 + user_id.size());
  ad.append(message_id).push_back('\n');
  ad.append(user_id);
  return ad;
}

std::optional<std::array<unsigned char, data_key_bytes>> decode_key(std::string_view b64) {
  std::array<unsigned char, data_key_bytes> key{};
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(key.data(), key.size(), b64.data(), b64.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len != data_key_bytes || end != b64.data() + b64.size())
    return std::nullopt;
  return key;
}

} // namespace

key_ring::~key_ring() {
  for (auto& e : keys_)
    sodium_memzero(e.key.data(), e.key.size());
}

std::shared_ptr<const key_ring> key_ring::from_base64(std::string_view current,
                                                      const std::vector<std::string>& old,
                                                      std::string* error) {
  auth::ensure_sodium();
  auto ring = std::make_shared<key_ring>();
  auto add = [&](std::string_view b64, const char* what) {
    auto key = decode_key(b64);
    if (!key) {
      if (error != nullptr)
        *error = std::string{what} + ": not standard base64 of 32 bytes";
      return false;
    }
    entry e;
    e.key = *key;
    e.id = key_id_of(e.key.data());
    sodium_memzero(key->data(), key->size());
    if (ring->find(e.id) == nullptr) // the current key listed as old too: once
      ring->keys_.push_back(std::move(e));
    return true;
  };
  if (!add(current, "HAVEN_DATA_KEY"))
    return nullptr;
  for (const auto& k : old)
    if (!add(k, "HAVEN_DATA_KEYS_OLD"))
      return nullptr;
  return ring;
}

const key_ring::entry* key_ring::find(std::string_view key_id) const {
  for (const auto& e : keys_)
    if (e.id == key_id)
      return &e;
  return nullptr;
}

sealed_text key_ring::seal(std::string_view text, std::string_view message_id,
                           std::string_view user_id) const {
  const auto& k = keys_.front();
  sealed_text s;
  s.key_id = k.id;
  s.nonce.resize(nonce_bytes);
  randombytes_buf(s.nonce.data(), s.nonce.size());
  s.ciphertext.resize(text.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  auto ad = associated_data(message_id, user_id);
  aead_len out_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(s.ciphertext.data()), &out_len,
      reinterpret_cast<const unsigned char*>(text.data()), text.size(),
      reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
      reinterpret_cast<const unsigned char*>(s.nonce.data()), k.key.data());
  s.ciphertext.resize(out_len);
  return s;
}

std::optional<std::string> key_ring::open(const sealed_text& s, std::string_view message_id,
                                          std::string_view user_id) const {
  const auto* k = find(s.key_id);
  if (k == nullptr || s.nonce.size() != nonce_bytes ||
      s.ciphertext.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return std::nullopt;
  std::string text(s.ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto ad = associated_data(message_id, user_id);
  aead_len out_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(text.data()), &out_len, nullptr,
          reinterpret_cast<const unsigned char*>(s.ciphertext.data()), s.ciphertext.size(),
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
          reinterpret_cast<const unsigned char*>(s.nonce.data()), k->key.data()) != 0)
    return std::nullopt;
  text.resize(out_len);
  return text;
}

std::string key_id_of(const unsigned char* key) {
  auth::ensure_sodium();
  // Keyed by the key itself over a fixed label: the id reveals nothing usable
  // about the key and is stable across nodes.
  static constexpr unsigned char label[] = "haven conversation data key id v1";
  unsigned char digest[8];
  crypto_generichash(digest, sizeof digest, label, sizeof label - 1, key, data_key_bytes);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string new_data_key_base64() {
  auth::ensure_sodium();
  unsigned char key[data_key_bytes];
  randombytes_buf(key, sizeof key);
  char b64[sodium_base64_ENCODED_LEN(data_key_bytes, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, key, sizeof key, sodium_base64_VARIANT_ORIGINAL);
  sodium_memzero(key, sizeof key);
  std::string out{b64};
  sodium_memzero(b64, sizeof b64);
  return out;
}

std::optional<std::vector<std::string>> parse_key_list(std::string_view text) {
  auth::ensure_sodium();
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    auto key = decode_key(item);
    if (!key)
      return std::nullopt;
    sodium_memzero(key->data(), key->size());
    out.emplace_back(item);
    if (comma == std::string_view::npos)
      break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

} // namespace haven::sessions
