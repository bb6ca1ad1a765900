// Passwords inside connection strings are masked wherever settings are shown.

#include <gtest/gtest.h>

#include "config/redaction.hpp"

namespace haven::config {
namespace {

TEST(config_redaction, url_user_info_and_query_passwords) {
  EXPECT_EQ(mask_url_password("postgresql://app:s3cret@db:5432/haven"),
            "postgresql://app:********@db:5432/haven");
  EXPECT_EQ(mask_url_password("redis://:s3cret@cache:6379/0"), "redis://:********@cache:6379/0");
  EXPECT_EQ(mask_url_password("postgresql://h/db?user=u&password=s3cret&sslmode=require"),
            "postgresql://h/db?user=u&password=********&sslmode=require");
  EXPECT_EQ(mask_url_password("postgresql://h/db?password=s3cret"),
            "postgresql://h/db?password=********");
  // Unencoded '/' or '@' in a password: still hidden (over-masking is the safe side).
  EXPECT_EQ(mask_url_password("redis://:s3/cr@et@cache/0"), "redis://:********@cache/0");
  // NATS: user:password@ and a bare token@ (audit L9).
  EXPECT_EQ(mask_url_password("nats://haven:s3cret@n1:4222"), "nats://haven:********@n1:4222");
  EXPECT_EQ(mask_url_password("nats://t0ken@n1:4222"), "nats://********@n1:4222");
}

TEST(config_redaction, urls_without_password_are_unchanged) {
  for (auto same : {"postgresql://app@db/haven", "redis://cache:6379/0", "nats://a:4222",
                    "postgresql://h/db?user=u", "not a url"})
    EXPECT_EQ(mask_url_password(same), same);
}

TEST(config_redaction, conninfo_password_forms) {
  EXPECT_EQ(mask_conninfo_password("host=db password=s3cret user=app"),
            "host=db password=******** user=app");
  EXPECT_EQ(mask_conninfo_password("password = 's3 cr\\'et' host=db"),
            "password = ******** host=db");
  EXPECT_EQ(mask_conninfo_password("host=db"), "host=db");
  // Cannot tokenize: everything from `password` on is hidden.
  EXPECT_EQ(mask_conninfo_password("host=db password=s3cret 'oops"), "host=db password=********");
}

TEST(config_redaction, picks_the_form_by_scheme) {
  EXPECT_EQ(mask_connection_password("postgres://u:p@h/d"), "postgres://u:********@h/d");
  EXPECT_EQ(mask_connection_password("password=p"), "password=********");
}

} // namespace
} // namespace haven::config
