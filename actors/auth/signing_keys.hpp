#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sodium.h>

// The node's ring of Ed25519 signing keys (API.md section 3). Immutable once
// built, so one ring can be shared read-only (std::shared_ptr<const
// signing_keys>) by every actor that signs or verifies. Loading from disk is
// in key_dir.hpp.

namespace haven::auth {

/// One Ed25519 key pair. `kid` is the key file's stem.
struct signing_key {
  std::string kid;
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
};

/// Kids are file names and appear in JWT headers: [A-Za-z0-9._-]{1,64},
/// not starting with a dot.
bool valid_kid(std::string_view kid);

/// Derives a key pair from a 32-byte seed.
signing_key key_from_seed(std::string kid, const unsigned char (&seed)[crypto_sign_SEEDBYTES]);

/// A fresh random key pair (tests, and keygen before it writes the seed).
signing_key random_key(std::string kid);

/// Parses the text of a `<kid>.key` file: base64 (standard or url-safe,
/// padding optional, surrounding whitespace ignored) of either the 32-byte
/// seed (what `haven keygen` writes) or libsodium's 64-byte secret key
/// (seed || public key; the public half must match the seed).
std::optional<signing_key> parse_key_file(std::string kid, std::string_view text);

/// The text `haven keygen` writes: standard base64 of the seed and a newline.
std::string key_file_text(const signing_key& key);

class signing_keys {
 public:
  /// `keys` must be non-empty with unique kids. They are sorted by kid.
  explicit signing_keys(std::vector<signing_key> keys);
  ~signing_keys(); // wipes the secret keys

  signing_keys(const signing_keys&) = delete;
  signing_keys& operator=(const signing_keys&) = delete;

  /// The key that signs: the one whose kid sorts last. `haven keygen` names
  /// keys by UTC creation time, so that is the newest one, and every node that
  /// reads the same folder picks the same key (file mtimes would not agree).
  const signing_key& signer() const { return keys_.back(); }

  /// Any key of the ring verifies; nullptr for an unknown kid.
  const signing_key* find(std::string_view kid) const;

  const std::vector<signing_key>& keys() const { return keys_; }

  /// `{"keys":[{"kty":"OKP","crv":"Ed25519","x":…,"kid":…,"alg":"EdDSA","use":"sig"}]}`
  /// with every key of the ring (public halves only), sorted by kid.
  std::string jwks_json() const;

 private:
  std::vector<signing_key> keys_;
};

} // namespace haven::auth
