#include <memory>

#include <gtest/gtest.h>

#include "actors/auth/base64url.hpp"
#include "actors/auth/jwt.hpp"
#include "auth_test_util.hpp"

using namespace haven::auth;
using namespace haven::auth::test;

namespace {

class jwt : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<signing_key> ks;
    ks.push_back(random_key("k1"));
    ring = std::make_unique<signing_keys>(std::move(ks));
  }
  token_error verify(std::string_view token, int64_t now = t0) {
    return verify_access_token(*ring, token, now, "haven").error;
  }
  const signing_key& key() { return ring->signer(); }
  std::string header(const std::string& alg, const std::string& kid = "k1") {
    return R"({"alg":")" + alg + R"(","typ":"JWT","kid":")" + kid + R"("})";
  }
  std::unique_ptr<signing_keys> ring;
};

std::string segment(const std::string& token, int i) {
  size_t a = 0;
  for (int k = 0; k < i; ++k)
    a = token.find('.', a) + 1;
  return token.substr(a, token.find('.', a) - a);
}

} // namespace

TEST_F(jwt, round_trip_with_and_without_org) {
  for (bool org : {true, false}) {
    auto claims = sample_claims(org);
    auto token = sign_access_token(*ring, claims);
    auto res = verify_access_token(*ring, token, t0, "haven");
    ASSERT_TRUE(res.ok()) << to_string(res.error);
    EXPECT_EQ(res.claims, claims);
  }
}

TEST_F(jwt, header_and_payload_are_exact) {
  auto token = sign_access_token(*ring, sample_claims(false));
  EXPECT_EQ(*b64url_decode(segment(token, 0)), R"({"alg":"EdDSA","typ":"JWT","kid":"k1"})");
  auto payload = *b64url_decode(segment(token, 1));
  EXPECT_NE(payload.find(R"("typ":"access")"), std::string::npos);
  EXPECT_EQ(payload.find("\"org\""), std::string::npos); // absent, not null or ""
}

TEST_F(jwt, tampered_payload_is_refused) {
  auto token = sign_access_token(*ring, sample_claims());
  auto claims = sample_claims();
  claims.role = "admin";
  auto forged_payload = segment(sign_access_token(*ring, claims), 1);
  auto forged = segment(token, 0) + "." + forged_payload + "." + segment(token, 2);
  EXPECT_EQ(verify(forged), token_error::bad_signature);
}

TEST_F(jwt, tampered_signature_is_refused) {
  auto token = sign_access_token(*ring, sample_claims());
  auto sig = *b64url_decode(segment(token, 2));
  sig[10] ^= 0x01;
  auto head = token.substr(0, token.rfind('.') + 1);
  EXPECT_EQ(verify(head + b64url_encode(sig)), token_error::bad_signature);
  EXPECT_EQ(verify(head + b64url_encode(sig.substr(0, 63))), token_error::malformed);
  EXPECT_EQ(verify(head), token_error::malformed); // empty signature
}

TEST_F(jwt, alg_none_is_refused) {
  auto payload = b64url_encode(valid_payload());
  for (std::string alg : {"none", "None", "NONE", "eddsa", "EdDSA ", "ES256", "RS256", ""}) {
    auto token = b64url_encode(header(alg)) + "." + payload + ".";
    EXPECT_EQ(verify(token), token_error::bad_alg) << alg;
  }
  auto no_alg = b64url_encode(R"({"typ":"JWT","kid":"k1"})") + "." + payload + ".";
  EXPECT_EQ(verify(no_alg), token_error::bad_alg);
  auto alg_null = b64url_encode(R"({"alg":null,"kid":"k1"})") + "." + payload + ".";
  EXPECT_EQ(verify(alg_null), token_error::bad_alg);
}

TEST_F(jwt, hs256_keyed_with_the_public_key_is_refused) {
  // The classic algorithm confusion: an HMAC keyed with the (public) key bytes.
  const std::string pk{reinterpret_cast<const char*>(key().pk.data()), key().pk.size()};
  for (const std::string& secret : {pk, b64url_encode(pk)}) {
    auto signing_input = b64url_encode(header("HS256")) + "." + b64url_encode(valid_payload());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                                secret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(signing_input.data()),
                                  signing_input.size());
    crypto_auth_hmacsha256_final(&st, mac);
    EXPECT_EQ(verify(signing_input + "." + b64url_encode(mac, sizeof mac)), token_error::bad_alg);
  }
}

TEST_F(jwt, unknown_or_missing_kid_is_refused) {
  auto other = random_key("k2");
  EXPECT_EQ(verify(sign_access_token(other, sample_claims())), token_error::unknown_kid);
  auto no_kid = sign_raw(key(), R"({"alg":"EdDSA","typ":"JWT"})", valid_payload());
  EXPECT_EQ(verify(no_kid), token_error::unknown_kid);
  // The right kid with another key's signature: the signature decides.
  auto impostor = random_key("k1");
  EXPECT_EQ(verify(sign_access_token(impostor, sample_claims())), token_error::bad_signature);
}

TEST_F(jwt, expiry_with_leeway) {
  auto c = sample_claims();
  auto token = sign_access_token(*ring, c);
  EXPECT_EQ(verify(token, c.exp - 1), token_error::none);
  EXPECT_EQ(verify(token, c.exp + clock_leeway_s - 1), token_error::none);
  EXPECT_EQ(verify(token, c.exp + clock_leeway_s), token_error::expired);
  EXPECT_EQ(verify(token, c.exp + 86400), token_error::expired);
}

TEST_F(jwt, not_yet_valid_with_leeway) {
  auto c = sample_claims();
  c.nbf = t0 + 600;
  auto token = sign_access_token(*ring, c);
  EXPECT_EQ(verify(token, c.nbf - clock_leeway_s), token_error::none);
  EXPECT_EQ(verify(token, c.nbf - clock_leeway_s - 1), token_error::not_yet_valid);
}

TEST_F(jwt, wrong_type_and_wrong_issuer) {
  EXPECT_EQ(verify(sign_raw(key(), header("EdDSA"), valid_payload("refresh"))),
            token_error::wrong_type);
  EXPECT_EQ(verify(sign_raw(key(), header("EdDSA"), valid_payload())), token_error::none);
  auto res = verify_access_token(*ring, sign_access_token(*ring, sample_claims()), t0, "other");
  EXPECT_EQ(res.error, token_error::wrong_issuer);
}

TEST_F(jwt, signed_but_malformed_claims_are_refused) {
  auto p = valid_payload();
  auto with = [&](const std::string& from, const std::string& to) {
    auto q = p;
    q.replace(q.find(from), from.size(), to);
    return verify(sign_raw(key(), header("EdDSA"), q));
  };
  EXPECT_EQ(with(R"("exp":1800000900)", R"("exp":1800000900.0)"), token_error::malformed);
  EXPECT_EQ(with(R"("exp":1800000900)", R"("exp":"1800000900")"), token_error::malformed);
  EXPECT_EQ(with(R"("sub":"u1")", R"("sub":7)"), token_error::malformed);
  EXPECT_EQ(with(R"("sub":"u1")", R"("sub":"")"), token_error::malformed);
  EXPECT_EQ(with(R"("sid":"s1",)", ""), token_error::malformed);     // missing claim
  EXPECT_EQ(with(R"("typ":"access",)", ""), token_error::malformed); // missing typ
  EXPECT_EQ(with(R"("sub":"u1")", R"("sub":"u1","sub":"u2")"), token_error::malformed);
  EXPECT_EQ(with(R"("role":"user")", R"("role":"user","x":{"y":[1]})"), token_error::none);
  EXPECT_EQ(with(R"("tier":"free"})", R"("tier":"free"}x)"), token_error::malformed);
  EXPECT_EQ(verify(sign_raw(key(), header("EdDSA"), "[1,2]")), token_error::malformed);
}

TEST_F(jwt, suspicious_headers_are_refused) {
  auto p = valid_payload();
  EXPECT_EQ(verify(sign_raw(key(), R"({"alg":"EdDSA","alg":"none","kid":"k1"})", p)),
            token_error::malformed);
  EXPECT_EQ(verify(sign_raw(key(), R"({"alg":"EdDSA","kid":"k1","crit":["exp"]})", p)),
            token_error::malformed);
  EXPECT_EQ(verify(sign_raw(key(), R"({"alg":"EdDSA","kid":"k1","typ":"at+jwt"})", p)),
            token_error::malformed);
  EXPECT_EQ(verify(sign_raw(key(), R"({"alg":"EdDSA","kid":"k1"})", p)), token_error::none);
}

TEST_F(jwt, garbage_is_malformed) {
  auto good = sign_access_token(*ring, sample_claims());
  auto h = segment(good, 0), p = segment(good, 1), s = segment(good, 2);
  for (std::string t :
       {std::string{}, std::string{"."}, std::string{".."}, std::string{"a.b"},
        std::string{"a.b.c"}, h + "." + p, h + "." + p + "." + s + ".",
        h + "." + p + "." + s + "." + s, h + "=." + p + "." + s, " " + good, good + " ",
        h + "." + p + "." + s + "=", "!!!." + p + "." + s,
        b64url_encode("not json") + "." + p + "." + s,
        b64url_encode("[\"EdDSA\"]") + "." + p + "." + s, std::string(max_token_bytes + 1, 'a')}) {
    auto e = verify(t);
    EXPECT_TRUE(e == token_error::malformed || e == token_error::bad_signature) << t;
  }
  // A signature segment with non-canonical trailing bits.
  auto tweaked = s;
  tweaked.back() = tweaked.back() == 'A' ? 'B' : 'A';
  EXPECT_NE(verify(h + "." + p + "." + tweaked), token_error::none);
}

TEST(jwt_rotation, every_active_key_verifies_and_the_newest_signs) {
  auto older = random_key("2026-01-01-000000-aaaaaaaa");
  auto newer = random_key("2026-03-01-000000-bbbbbbbb");
  auto old_token = sign_access_token(older, sample_claims());
  std::vector<signing_key> ks;
  ks.push_back(newer);
  ks.push_back(older);
  signing_keys ring{std::move(ks)};
  EXPECT_EQ(ring.signer().kid, "2026-03-01-000000-bbbbbbbb");
  EXPECT_TRUE(verify_access_token(ring, old_token, t0, "haven").ok());
  auto new_token = sign_access_token(ring, sample_claims());
  EXPECT_EQ(*b64url_decode(segment(new_token, 0)),
            R"({"alg":"EdDSA","typ":"JWT","kid":"2026-03-01-000000-bbbbbbbb"})");
  EXPECT_TRUE(verify_access_token(ring, new_token, t0, "haven").ok());
  // Once the old key is retired, its tokens are unknown.
  std::vector<signing_key> only_new;
  only_new.push_back(newer);
  signing_keys retired{std::move(only_new)};
  EXPECT_EQ(verify_access_token(retired, old_token, t0, "haven").error, token_error::unknown_kid);
}
