#include "actors/auth/base64url.hpp"

#include <sodium.h>

#include "actors/auth/sodium_init.hpp"

namespace haven::auth {

namespace {

constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

// libsodium 1.0.18 reads the input through a signed `char`, so every byte
// >= 0x80 decodes as '_' (63): "QUJ\xd0" is accepted as "QUJ_". We check the
// alphabet ourselves first, so each byte string has exactly one encoding.
bool urlsafe_alphabet(std::string_view text) {
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok)
      return false;
  }
  return true;
}

} // namespace

std::string b64url_encode(const void* data, size_t size) {
  ensure_sodium();
  std::string out(sodium_base64_ENCODED_LEN(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), static_cast<const unsigned char*>(data), size, variant);
  out.resize(out.size() - 1); // drop the NUL that libsodium writes
  return out;
}

std::optional<std::string> b64url_decode(std::string_view text) {
  ensure_sodium();
  if (!urlsafe_alphabet(text))
    return std::nullopt;
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  // b64_end == nullptr makes libsodium fail unless the whole input is consumed;
  // it also rejects non-zero trailing bits and impossible lengths (4n+1).
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, variant) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

bool b64url_decode_exact(std::string_view text, unsigned char* out, size_t size) {
  ensure_sodium();
  if (text.size() != sodium_base64_ENCODED_LEN(size, variant) - 1 || !urlsafe_alphabet(text))
    return false;
  size_t len = 0;
  return sodium_base642bin(out, size, text.data(), text.size(), nullptr, &len, nullptr, variant) ==
             0 &&
         len == size;
}

} // namespace haven::auth
