#include <gtest/gtest.h>
#include <sodium.h>

#include "actors/auth/passwords.hpp"

using namespace haven::auth;

namespace {

const argon_params fast{1, crypto_pwhash_MEMLIMIT_MIN};

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += s;
  return out;
}

} // namespace

TEST(password_rules, length_in_code_points) {
  EXPECT_EQ(check_password(repeat("a", 9)), password_issue::too_short);
  EXPECT_EQ(check_password(repeat("a", 10)), password_issue::none);
  EXPECT_EQ(check_password(repeat("a", 256)), password_issue::none);
  EXPECT_EQ(check_password(repeat("a", 257)), password_issue::too_long);
  EXPECT_EQ(check_password(""), password_issue::too_short);
}

TEST(password_rules, multibyte_characters_count_once) {
  EXPECT_EQ(check_password(repeat("é", 9)), password_issue::too_short); // 18 bytes
  EXPECT_EQ(check_password(repeat("é", 10)), password_issue::none);
  EXPECT_EQ(check_password(repeat("😀", 9)), password_issue::too_short); // 36 bytes
  EXPECT_EQ(check_password(repeat("€", 256)), password_issue::none);    // 768 bytes
  EXPECT_EQ(check_password(repeat("😀", 256)), password_issue::none);    // 1024 bytes
  EXPECT_EQ(check_password(repeat("€", 257)), password_issue::too_long);
  EXPECT_EQ(utf8_code_points("aé€😀"), 4u);
}

TEST(password_rules, invalid_utf8_is_refused) {
  for (std::string bad : {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xe2\x82",
                          "\xf4\x90\x80\x80", "\x80", "\xf8\x88\x80\x80\x80"}) {
    EXPECT_EQ(check_password("abcdefghij" + bad), password_issue::invalid_utf8);
    EXPECT_FALSE(utf8_code_points(bad));
  }
  EXPECT_EQ(to_string(password_issue::too_short), std::string{"too_short"});
}

TEST(password_hashing, hash_then_verify) {
  auto h = hash_password("correct horse battery", fast);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(verify_password(*h, "correct horse battery"));
  EXPECT_FALSE(verify_password(*h, "correct horse batterY"));
  EXPECT_FALSE(verify_password(*h, ""));
  EXPECT_FALSE(verify_password("", "correct horse battery"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "correct horse battery"));
  EXPECT_FALSE(verify_password(std::string(500, 'x'), "correct horse battery"));
  EXPECT_NE(*hash_password("correct horse battery", fast), *h); // salted
}

TEST(password_hashing, needs_rehash_after_a_parameter_change) {
  auto h = hash_password("correct horse battery", fast);
  ASSERT_TRUE(h);
  EXPECT_FALSE(needs_rehash(*h, fast));
  EXPECT_TRUE(needs_rehash(*h, argon_params{2, crypto_pwhash_MEMLIMIT_MIN}));
  EXPECT_TRUE(needs_rehash(*h, argon_params{1, 2 * crypto_pwhash_MEMLIMIT_MIN}));
  EXPECT_TRUE(needs_rehash("not a hash", fast));
  EXPECT_TRUE(needs_rehash("", fast));
}

TEST(password_hashing, dummy_hash_matches_nothing_guessable) {
  auto d = make_dummy_hash(fast);
  EXPECT_EQ(d.rfind("$argon2id$", 0), 0u);
  EXPECT_FALSE(verify_password(d, ""));
  EXPECT_FALSE(verify_password(d, "password123"));
  EXPECT_NE(make_dummy_hash(fast), d);
}
