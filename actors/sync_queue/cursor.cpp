#include "actors/sync_queue/cursor.hpp"

#include <array>
#include <cstring>

#include <sodium.h>

#include "actors/auth/base64url.hpp"

namespace haven::sync {

namespace {

constexpr size_t seq_bytes = 8;
constexpr size_t check_bytes = 4;
constexpr std::string_view context = "haven-sync-cursor-v1";

std::array<unsigned char, check_bytes> check_of(std::string_view user_id,
                                                const unsigned char* seq) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, crypto_generichash_BYTES_MIN);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(context.data()),
                            context.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(user_id.data()),
                            user_id.size());
  crypto_generichash_update(&st, seq, seq_bytes);
  unsigned char full[crypto_generichash_BYTES_MIN];
  crypto_generichash_final(&st, full, sizeof full);
  std::array<unsigned char, check_bytes> out;
  std::memcpy(out.data(), full, check_bytes);
  return out;
}

} // namespace

std::string encode_cursor(std::string_view user_id, int64_t seq) {
  unsigned char buf[seq_bytes + check_bytes];
  auto u = static_cast<uint64_t>(seq);
  for (size_t i = 0; i < seq_bytes; ++i)
    buf[i] = static_cast<unsigned char>(u >> (8 * (seq_bytes - 1 - i)));
  auto check = check_of(user_id, buf);
  std::memcpy(buf + seq_bytes, check.data(), check_bytes);
  return auth::b64url_encode(buf, sizeof buf);
}

std::optional<int64_t> decode_cursor(std::string_view user_id, std::string_view text) {
  unsigned char buf[seq_bytes + check_bytes];
  if (text.size() != 16 || !auth::b64url_decode_exact(text, buf, sizeof buf))
    return std::nullopt;
  auto check = check_of(user_id, buf);
  if (sodium_memcmp(check.data(), buf + seq_bytes, check_bytes) != 0)
    return std::nullopt;
  uint64_t u = 0;
  for (size_t i = 0; i < seq_bytes; ++i)
    u = (u << 8) | buf[i];
  if (u > static_cast<uint64_t>(INT64_MAX))
    return std::nullopt;
  return static_cast<int64_t>(u);
}

} // namespace haven::sync
