#pragma once

#include <cstdint>
#include <string>

// UUID v4 strings (lower-case, hyphenated; API.md section 1), two ways:
// random_uuid() for ids that are stored or leave the node (events, crisis and
// moderation items, users' resources): libsodium's CSPRNG, so one id says
// nothing about the next; fast_uuid_generator for request ids, which need
// uniqueness, not secrecy, and are made on every request.

namespace haven {

/// Formats 16 bytes as a lower-case hyphenated UUID.
std::string format_uuid(const uint8_t (&bytes)[16]);

/// A UUID v4 from libsodium's CSPRNG (~0.3 us).
std::string random_uuid();

/// UUID v4 strings from a xoshiro256** stream seeded once from the CSPRNG
/// (~20 ns). Not thread-safe: one per thread or actor.
class fast_uuid_generator {
 public:
  fast_uuid_generator();
  std::string next();

 private:
  uint64_t next_u64();
  uint64_t s_[4];
};

} // namespace haven
