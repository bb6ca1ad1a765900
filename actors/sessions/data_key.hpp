#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Encryption at rest of conversation messages (docs/conversations.md
// "Encryption at rest"): XChaCha20-Poly1305 (libsodium's
// crypto_aead_xchacha20poly1305_ietf_*), a random 24-byte nonce per message,
// associated data = message id + user id, so a row copied to another user or
// another message id fails to open. Pure: no actors, no I/O.
//
// Keys are named by a key id derived from the key itself (16 hex digits of a
// keyed BLAKE2b), stored beside every row: a node needs no id table, and the
// ring opens rows of any key it holds (HAVEN_DATA_KEY plus
// HAVEN_DATA_KEYS_OLD) while sealing only with the current one.

namespace haven::sessions {

inline constexpr size_t data_key_bytes = 32;
inline constexpr size_t nonce_bytes = 24;

/// A message as stored: raw bytes (the SQL layer hex-encodes them).
struct sealed_text {
  std::string key_id;
  std::string nonce;      // nonce_bytes
  std::string ciphertext; // plaintext + 16-byte tag
};

class key_ring {
 public:
  key_ring() = default;
  ~key_ring();
  key_ring(const key_ring&) = delete;
  key_ring& operator=(const key_ring&) = delete;

  /// The ring of `current` (standard base64 of 32 bytes) plus `old` keys
  /// (each the same form). Null with `error` (never key material) when a key
  /// is malformed.
  static std::shared_ptr<const key_ring>
  from_base64(std::string_view current, const std::vector<std::string>& old, std::string* error);

  const std::string& current_id() const { return keys_.front().id; }
  bool holds(std::string_view key_id) const { return find(key_id) != nullptr; }
  size_t size() const { return keys_.size(); }

  /// Seals `text` under the current key with a fresh random nonce.
  sealed_text seal(std::string_view text, std::string_view message_id,
                   std::string_view user_id) const;
  /// The text, or nothing when the key is unknown, the tag fails (tampered,
  /// wrong message or user id) or the nonce is malformed.
  std::optional<std::string> open(const sealed_text& s, std::string_view message_id,
                                  std::string_view user_id) const;

 private:
  struct entry {
    std::string id;
    std::array<unsigned char, data_key_bytes> key{};
  };
  const entry* find(std::string_view key_id) const;
  std::vector<entry> keys_; // front: the current key
};

/// The key id of a raw 32-byte key: 16 lower-case hex digits.
std::string key_id_of(const unsigned char* key);

/// Standard base64 of 32 random bytes (a new data key).
std::string new_data_key_base64();

/// Comma-separated base64 keys ("" = none) -> the list; nothing when an item is
/// not standard base64 of exactly 32 bytes.
std::optional<std::vector<std::string>> parse_key_list(std::string_view text);

} // namespace haven::sessions
