#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Base64url without padding (RFC 4648 section 5), as JWTs and our opaque
// tokens use it. Thin wrappers over libsodium so we do not hand-roll a codec.

namespace haven::auth {

std::string b64url_encode(const void* data, size_t size);

inline std::string b64url_encode(std::string_view bytes) {
  return b64url_encode(bytes.data(), bytes.size());
}

/// Strict decoding: only [A-Za-z0-9_-], no padding, no whitespace, and the
/// unused trailing bits must be zero (so every byte string has exactly one
/// encoding). Returns nothing on any violation.
std::optional<std::string> b64url_decode(std::string_view text);

/// Strict decoding into exactly `size` bytes at `out` (e.g. a 64-byte
/// signature). False when the text is invalid or encodes another length.
bool b64url_decode_exact(std::string_view text, unsigned char* out, size_t size);

} // namespace haven::auth
