#include "base/uuid.hpp"

#include <cstring>

#include <sodium.h>

namespace haven {

namespace {

void set_version_4(uint8_t (&b)[16]) {
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40); // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80); // RFC 4122 variant
}

} // namespace

std::string format_uuid(const uint8_t (&b)[16]) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out.push_back('-');
    out.push_back(hex[b[i] >> 4]);
    out.push_back(hex[b[i] & 0xf]);
  }
  return out;
}

std::string random_uuid() {
  static const bool sodium_ready = sodium_init() >= 0; // once; thread-safe static
  (void)sodium_ready;
  uint8_t b[16];
  randombytes_buf(b, sizeof b);
  set_version_4(b);
  return format_uuid(b);
}

fast_uuid_generator::fast_uuid_generator() {
  if (sodium_init() < 0) // -1 only when the CSPRNG cannot be initialized at all
    std::memset(s_, 0x5a, sizeof(s_));
  else
    randombytes_buf(s_, sizeof(s_));
}

uint64_t fast_uuid_generator::next_u64() {
  auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  uint64_t result = rotl(s_[1] * 5, 7) * 9;
  uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::string fast_uuid_generator::next() {
  uint8_t bytes[16];
  uint64_t a = next_u64();
  uint64_t b = next_u64();
  std::memcpy(bytes, &a, 8);
  std::memcpy(bytes + 8, &b, 8);
  set_version_4(bytes);
  return format_uuid(bytes);
}

} // namespace haven
