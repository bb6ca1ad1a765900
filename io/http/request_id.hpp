#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace haven::http {

/// API.md section 1: a client's X-Request-ID is kept when it matches
/// [A-Za-z0-9._-]{1,128}; anything else is replaced by a fresh id.
bool is_valid_request_id(std::string_view id);

/// Generates random UUIDv4 strings quickly: seeded once from libsodium's CSPRNG,
/// then a xoshiro256** stream (request ids need uniqueness, not secrecy).
class request_id_generator {
 public:
  request_id_generator();
  std::string next();

 private:
  uint64_t next_u64();
  uint64_t s_[4];
};

/// Formats 16 bytes as a lower-case hyphenated UUID.
std::string format_uuid(const uint8_t (&bytes)[16]);

} // namespace haven::http
