#include <random>
#include <set>

#include <gtest/gtest.h>

#include "actors/auth/base64url.hpp"
#include "actors/auth/refresh_tokens.hpp"

using namespace haven::auth;

TEST(base64url, round_trips_every_length) {
  std::mt19937 rng{7};
  for (size_t n = 0; n < 80; ++n) {
    std::string bytes(n, '\0');
    for (auto& c : bytes)
      c = static_cast<char>(rng());
    auto text = b64url_encode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    auto back = b64url_decode(text);
    ASSERT_TRUE(back) << n;
    EXPECT_EQ(*back, bytes);
  }
}

TEST(base64url, decoding_is_strict) {
  EXPECT_EQ(*b64url_decode("QUI"), "AB");
  EXPECT_EQ(*b64url_decode(""), "");
  EXPECT_FALSE(b64url_decode("QUI=")); // padding
  EXPECT_FALSE(b64url_decode("QUJ"));  // non-zero trailing bits (non-canonical "AB")
  EXPECT_FALSE(b64url_decode("QR"));   // same, one byte
  EXPECT_FALSE(b64url_decode("Q"));    // impossible length 4n+1
  EXPECT_FALSE(b64url_decode("Q+Q"));  // standard alphabet
  EXPECT_FALSE(b64url_decode("Q/Q"));
  EXPECT_FALSE(b64url_decode("QU I")); // whitespace
  EXPECT_FALSE(b64url_decode("QUI\n"));
  EXPECT_FALSE(b64url_decode(std::string_view{"QU\0I", 4}));
  EXPECT_TRUE(b64url_decode("-_-_"));
}

TEST(base64url, non_ascii_bytes_are_refused) {
  // libsodium 1.0.18 alone would decode each of these as '_'.
  unsigned char out[3];
  for (int c = 0x80; c <= 0xff; ++c) {
    std::string text = "QUJ";
    text += static_cast<char>(c);
    EXPECT_FALSE(b64url_decode(text)) << c;
    EXPECT_FALSE(b64url_decode_exact(text, out, 3)) << c;
  }
}

TEST(base64url, decode_exact_wants_the_exact_length) {
  unsigned char out[3];
  EXPECT_TRUE(b64url_decode_exact("QUJD", out, 3));
  EXPECT_FALSE(b64url_decode_exact("QUI", out, 3));
  EXPECT_FALSE(b64url_decode_exact("QUJDRA", out, 3));
}

TEST(refresh_tokens, are_256_random_bits_in_base64url) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto t = new_opaque_token();
    EXPECT_EQ(t.token.size(), 43u);
    EXPECT_TRUE(looks_like_opaque_token(t.token));
    EXPECT_EQ(t.hash, token_hash(t.token));
    EXPECT_TRUE(seen.insert(t.token).second);
  }
}

TEST(refresh_tokens, hash_is_lower_hex_sha256) {
  EXPECT_EQ(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(token_hash(new_opaque_token().token).size(), 64u);
}

TEST(refresh_tokens, shape_check_refuses_other_strings) {
  auto t = new_opaque_token().token;
  EXPECT_FALSE(looks_like_opaque_token(""));
  EXPECT_FALSE(looks_like_opaque_token(t.substr(1)));
  EXPECT_FALSE(looks_like_opaque_token(t + "A"));
  EXPECT_FALSE(looks_like_opaque_token(t + "="));
  auto bad = t;
  bad[5] = '+';
  EXPECT_FALSE(looks_like_opaque_token(bad));
}

TEST(refresh_tokens, constant_time_equality) {
  EXPECT_TRUE(equal_constant_time("abcdef", "abcdef"));
  EXPECT_FALSE(equal_constant_time("abcdef", "abcdeg"));
  EXPECT_FALSE(equal_constant_time("abcdef", "abcde"));
  EXPECT_TRUE(equal_constant_time("", ""));
}
