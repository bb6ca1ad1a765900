#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include <sodium.h>

#include "actors/auth/base64url.hpp"
#include "actors/auth/jwt.hpp"
#include "actors/auth/signing_keys.hpp"

namespace haven::auth::test {

constexpr int64_t t0 = 1'800'000'000; // a fixed "now" for token tests

inline access_claims sample_claims(bool with_org = true) {
  access_claims c;
  c.iss = "haven";
  c.sub = "6f1c1b9e-3a4d-4c1e-9f0a-1b2c3d4e5f60";
  c.jti = "b3c7d1e2-1111-4222-8333-944455566677";
  c.sid = "0a0b0c0d-2222-4333-8444-955566677788";
  c.role = "user";
  c.tier = "free";
  c.org = with_org ? "11111111-2222-4333-8444-555555555555" : "";
  c.iat = t0;
  c.nbf = t0;
  c.exp = t0 + 900;
  return c;
}

/// A compact JWS with arbitrary header and payload JSON, signed by `key`
/// (for tests of what happens after a valid signature).
inline std::string sign_raw(const signing_key& key, const std::string& header,
                            const std::string& payload) {
  std::string t = b64url_encode(header) + "." + b64url_encode(payload);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(t.data()), t.size(),
                       key.sk.data());
  return t + "." + b64url_encode(sig, sizeof sig);
}

inline std::string valid_payload(const std::string& typ = "access") {
  return R"({"iss":"haven","sub":"u1","iat":1800000000,"nbf":1800000000,"exp":1800000900,)"
         R"("jti":"j1","sid":"s1","typ":")" +
         typ + R"(","role":"user","tier":"free"})";
}

/// A fresh folder under the system temp dir, removed at scope exit.
class temp_dir {
 public:
  temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "haven-auth-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

} // namespace haven::auth::test
