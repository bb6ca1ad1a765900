#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <sodium.h>

#include "actors/auth/jwt.hpp"

// A bounded node-local cache of access tokens that already passed
// verify_access_token, so a repeated token skips the ~105 µs Ed25519 check.
// It caches validity only: revocation (jti, sid) is still checked on every
// request by the caller. Single-threaded: it lives inside one actor.
//
// Keyed by a keyed 128-bit SipHash (libsodium's siphashx24, a PRF) of the whole
// token with a random secret key per cache, and the full 16-byte digest is
// compared on lookup: without the key nobody can aim at another token's digest,
// and an accidental match among 100k entries has odds ~1e-29. SipHash is the
// cheapest keyed PRF libsodium has (~3 % of a request with keyed BLAKE2b-256). Eviction is CLOCK
// (second chance), O(1) amortized; expired entries go first when met by the hand.

namespace haven::auth {

class token_cache {
 public:
  /// `capacity` entries at most (0 disables the cache). Each entry holds the
  /// claims, roughly 300-400 bytes.
  explicit token_cache(size_t capacity);

  /// The claims of a cached token still valid at `now` (unix seconds), or
  /// nullptr. The pointer is valid until the next insert or erase.
  const access_claims* find(std::string_view token, int64_t now);

  /// Remembers a verified token until `valid_until` (exclusive; pass
  /// claims.exp + clock_leeway_s to match verify_access_token). Replaces an
  /// existing entry; may evict one.
  void insert(std::string_view token, const access_claims& claims, int64_t valid_until,
              int64_t now);

  /// Forgets a token (e.g. once it is known to be revoked).
  void erase(std::string_view token);

  size_t size() const { return index_.size(); }
  size_t capacity() const { return capacity_; }
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }
  uint64_t evictions() const { return evictions_; }

 private:
  using digest = std::array<unsigned char, crypto_shorthash_siphashx24_BYTES>;
  struct digest_hash {
    size_t operator()(const digest& d) const {
      size_t h; // the digest is already uniform: any 8 bytes will do
      std::memcpy(&h, d.data(), sizeof h);
      return h;
    }
  };
  struct slot {
    digest key{};
    access_claims claims;
    int64_t valid_until = 0;
    bool used = false;
    bool referenced = false;
  };

  digest digest_of(std::string_view token) const;
  uint32_t take_slot(int64_t now);
  void release(uint32_t i);

  std::array<unsigned char, crypto_shorthash_siphashx24_KEYBYTES> hash_key_{};
  size_t capacity_;
  std::vector<slot> slots_; // grows up to capacity_
  std::vector<uint32_t> free_;
  std::unordered_map<digest, uint32_t, digest_hash> index_;
  size_t hand_ = 0;
  uint64_t hits_ = 0, misses_ = 0, evictions_ = 0;
};

} // namespace haven::auth
