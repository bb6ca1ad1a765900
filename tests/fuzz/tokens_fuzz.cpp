// libFuzzer target: the access-token decoder (actors/auth/jwt.cpp) and the
// opaque refresh/reset token helpers (refresh_tokens.cpp), issue 12 item 6.
// The first input byte picks what the rest is:
//   0  a token to verify as it is;
//   1  edits applied to a valid token (position, byte pairs): whatever
//      verifies must carry exactly the original claims (no forgery, no
//      claim confusion through non-canonical encodings);
//   2  an opaque token: its shape check, hash and constant-time compare.
// Invariants abort the run; ASan/UBSan catch the rest.
// Seeds: tests/fuzz/corpus/tokens/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "actors/auth/jwt.hpp"
#include "actors/auth/refresh_tokens.hpp"
#include "actors/auth/signing_keys.hpp"

namespace {

using namespace haven::auth;

constexpr int64_t now = 1'800'000'000;
constexpr std::string_view issuer = "haven";

const signing_keys& ring() {
  static const signing_keys keys = [] {
    unsigned char seed[crypto_sign_SEEDBYTES];
    for (size_t i = 0; i < sizeof seed; ++i)
      seed[i] = static_cast<unsigned char>(i * 7 + 1);
    std::vector<signing_key> list;
    list.push_back(key_from_seed("k1", seed));
    return signing_keys{std::move(list)};
  }();
  return keys;
}

const access_claims& original() {
  static const access_claims c = [] {
    access_claims x;
    x.iss = std::string{issuer};
    x.sub = "0b8f6b62-3b7e-4c8e-9d36-3a1f4a1c2d11";
    x.jti = "jti-1";
    x.sid = "sid-1";
    x.role = "user";
    x.tier = "free";
    x.iat = now - 10;
    x.nbf = now - 10;
    x.exp = now + 900;
    return x;
  }();
  return c;
}

const std::string& valid_token() {
  static const std::string t = sign_access_token(ring(), original());
  return t;
}

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  std::string_view rest{reinterpret_cast<const char*>(data + 1), size - 1};
  switch (data[0] % 3) {
    case 0: {
      auto r = verify_access_token(ring(), rest, now, issuer);
      // Random bytes cannot carry a valid signature: only the real token may pass.
      if (r.ok())
        check(r.claims == original(), "a token other than ours verified with other claims");
      break;
    }
    case 1: {
      std::string t = valid_token();
      for (size_t i = 0; i + 1 < rest.size(); i += 2) {
        size_t at = static_cast<unsigned char>(rest[i]) % (t.size() + 1);
        char c = rest[i + 1];
        if (at == t.size())
          t.push_back(c);
        else
          t[at] = c;
      }
      auto r = verify_access_token(ring(), t, now, issuer);
      if (r.ok())
        check(r.claims == original(), "an edited token verified with different claims");
      check(verify_access_token(ring(), t, now, "other").error != token_error::none,
            "a token verified for another issuer");
      break;
    }
    default: {
      bool shaped = looks_like_opaque_token(rest);
      if (shaped)
        check(!token_hash(rest).empty(), "a well-shaped token has no hash");
      size_t half = rest.size() / 2;
      auto a = rest.substr(0, half), b = rest.substr(half, half);
      check(equal_constant_time(a, b) == (a == b), "constant-time compare disagrees with ==");
      break;
    }
  }
  return 0;
}
