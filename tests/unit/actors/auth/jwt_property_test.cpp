// Property tests for token round trips, as parameterized GoogleTest over
// random seeds (RapidCheck would need a link change in tests/CMakeLists.txt).
#include <memory>
#include <random>

#include <gtest/gtest.h>

#include "actors/auth/jwt.hpp"
#include "auth_test_util.hpp"

using namespace haven::auth;

namespace {

// Valid UTF-8 that exercises JSON escaping: quotes, backslashes, controls, multibyte.
std::string random_text(std::mt19937_64& rng, size_t max_len, bool allow_empty) {
  static const char* pieces[] = {"a",  "Z",    "0",    "-", "\"", "\\", "/", "\n",
                                 "\t", "\x01", "\x1f", " ", "é",  "€",  "😀", "\xe2\x80\xa8",
                                 "{",  "}",    ":",    ","};
  std::uniform_int_distribution<size_t> len_d{allow_empty ? 0u : 1u, max_len};
  std::uniform_int_distribution<size_t> piece_d{0, std::size(pieces) - 1};
  std::string out;
  for (size_t n = len_d(rng); n > 0; --n)
    out += pieces[piece_d(rng)];
  return out;
}

access_claims random_claims(std::mt19937_64& rng) {
  std::uniform_int_distribution<int64_t> time_d{-(int64_t{1} << 40), int64_t{1} << 40};
  access_claims c;
  c.iss = "haven";
  c.sub = random_text(rng, 40, false);
  c.jti = random_text(rng, 40, false);
  c.sid = random_text(rng, 40, false);
  c.role = random_text(rng, 12, true);
  c.tier = random_text(rng, 12, true);
  c.org = random_text(rng, 40, true);
  c.iat = time_d(rng);
  c.nbf = time_d(rng);
  c.exp = time_d(rng);
  return c;
}

class jwt_property : public ::testing::TestWithParam<int> {
 protected:
  static void SetUpTestSuite() {
    std::vector<signing_key> ks;
    ks.push_back(random_key("2026-01-01-000000-00000000"));
    ks.push_back(random_key("2026-06-01-000000-11111111"));
    ring = std::make_unique<signing_keys>(std::move(ks));
  }
  static void TearDownTestSuite() { ring.reset(); }
  static inline std::unique_ptr<signing_keys> ring;
};

} // namespace

TEST_P(jwt_property, random_claims_round_trip_when_in_their_window) {
  std::mt19937_64 rng{static_cast<uint64_t>(GetParam())};
  auto c = random_claims(rng);
  const auto& key = ring->keys()[static_cast<size_t>(GetParam()) % 2];
  auto token = sign_access_token(key, c);
  ASSERT_LE(token.size(), max_token_bytes);
  auto now = c.nbf + (c.exp > c.nbf ? (c.exp - c.nbf) / 2 : 0);
  auto res = verify_access_token(*ring, token, now, "haven");
  if (c.exp > c.nbf) {
    ASSERT_TRUE(res.ok()) << to_string(res.error);
    EXPECT_EQ(res.claims, c);
  } else { // an empty window: refused for time, never for shape or signature
    EXPECT_TRUE(res.error == token_error::expired || res.error == token_error::none ||
                res.error == token_error::not_yet_valid)
        << to_string(res.error);
  }
}

TEST_P(jwt_property, any_single_byte_change_is_refused) {
  std::mt19937_64 rng{static_cast<uint64_t>(GetParam()) + 1'000'000};
  auto c = random_claims(rng);
  c.nbf = 0;
  c.exp = int64_t{1} << 50;
  auto token = sign_access_token(*ring, c);
  ASSERT_TRUE(verify_access_token(*ring, token, 1000, "haven").ok());
  std::uniform_int_distribution<size_t> pos_d{0, token.size() - 1};
  std::uniform_int_distribution<int> byte_d{1, 255};
  for (int i = 0; i < 20; ++i) {
    auto t = token;
    auto pos = pos_d(rng);
    t[pos] = static_cast<char>(static_cast<unsigned char>(t[pos]) ^ byte_d(rng));
    EXPECT_FALSE(verify_access_token(*ring, t, 1000, "haven").ok())
        << "byte " << pos << " of " << token.size() << ": " << token << " -> " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(seeds, jwt_property, ::testing::Range(0, 200));
