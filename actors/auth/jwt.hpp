#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "actors/auth/signing_keys.hpp"

// Access tokens: compact JWS with EdDSA (Ed25519), API.md section 3.
// Header exactly {"alg":"EdDSA","typ":"JWT","kid":…}; claims below plus
// "typ":"access". Pure functions: no clock, no store (revocation is checked
// by the caller on every request, cached or not).

namespace haven::auth {

struct access_claims {
  std::string iss, sub, jti, sid, role, tier;
  std::string org;                   // empty = absent (no organization)
  int64_t iat = 0, nbf = 0, exp = 0; // unix seconds
};

bool operator==(const access_claims& a, const access_claims& b);

/// Clock skew tolerated between nodes for exp and nbf, in seconds.
constexpr int64_t clock_leeway_s = 30;

/// Longer tokens are refused before any decoding (ours are ~500 bytes).
constexpr size_t max_token_bytes = 8192;

enum class token_error : uint8_t {
  none,
  malformed,     // not three base64url segments, bad JSON, missing/mistyped claim, duplicate key
  bad_alg,       // alg missing or anything but "EdDSA" (none, HS256, …)
  unknown_kid,   // kid missing or not in the ring
  bad_signature, // Ed25519 verification failed
  expired,       // now >= exp + leeway
  not_yet_valid, // now + leeway < nbf
  wrong_type,    // typ claim is not "access"
  wrong_issuer,  // iss differs from the expected issuer
};

const char* to_string(token_error x);

struct verify_result {
  token_error error = token_error::malformed;
  access_claims claims; // meaningful only when ok()
  bool ok() const { return error == token_error::none; }
};

/// Signs with the ring's signer() key.
std::string sign_access_token(const signing_keys& keys, const access_claims& claims);

/// Signs with one given key (rotation tests, tools).
std::string sign_access_token(const signing_key& key, const access_claims& claims);

/// Checks, in this order: shape and size, header (alg must be "EdDSA", kid
/// known, no duplicate keys, no "crit"), the Ed25519 signature over
/// `header.payload`, and only then the claims (types, typ, iss, nbf, exp).
/// `now` is unix seconds.
verify_result verify_access_token(const signing_keys& keys, std::string_view token, int64_t now,
                                  std::string_view expected_iss);

} // namespace haven::auth
