#include <set>

#include <gtest/gtest.h>

#include "actors/auth/user_handles.hpp"
#include "actors/auth/validation.hpp"

using namespace haven::auth;

TEST(auth_validation, emails_are_trimmed_and_lower_cased) {
  EXPECT_EQ(normalize_email("  Alice@Example.ORG \t"), "alice@example.org");
  EXPECT_EQ(normalize_email(""), "");
}

TEST(auth_validation, email_rules) {
  EXPECT_TRUE(valid_email("a@b.co"));
  EXPECT_TRUE(valid_email("first.last+tag@sub.example.org"));
  for (auto bad : {"", "a", "a@b", "@b.co", "a@.co", "a@b.co.", "a@@b.co", "a b@c.co", "a@b..co",
                   "<a@b.co>", "a\"x@b.co", "a@-b.co"})
    EXPECT_FALSE(valid_email(bad)) << bad;
  EXPECT_FALSE(valid_email(std::string(250, 'a') + "@b.co"));
  EXPECT_FALSE(valid_email(std::string("a\0b@c.co", 8)));
}

// L3: Unicode spaces are trimmed; non-ASCII addresses are refused rather than
// stored in one of several forms (NFC/NFD, Unicode case).
TEST(auth_validation, unicode_spaces_are_trimmed_and_non_ascii_refused) {
  EXPECT_EQ(normalize_email("\xC2\xA0"
                            "Bob@Example.org\xC2\xA0"),
            "bob@example.org");
  EXPECT_EQ(normalize_email("\xEF\xBB\xBF bob@example.org\xE3\x80\x80\xE2\x80\x8B "),
            "bob@example.org");
  EXPECT_EQ(normalize_email("\xC2\xA0"), "");
  EXPECT_FALSE(valid_email("b\xC3\xB6"
                           "b@example.org")); // NFC o-umlaut
  EXPECT_FALSE(valid_email("bo\xCC\x88"
                           "b@example.org"));          // NFD o + combining diaeresis
  EXPECT_FALSE(valid_email("bob@ex\xC3\xA4mple.org")); // IDN in Unicode form
  EXPECT_TRUE(valid_email("bob@xn--exmple-cua.org"));  // its punycode form
  EXPECT_FALSE(valid_email(normalize_email("bob\xC2\xA0x@example.org"))); // inner NBSP stays
}

TEST(auth_validation, slug_rules) {
  EXPECT_TRUE(valid_slug("abc"));
  EXPECT_TRUE(valid_slug("my-org-42"));
  EXPECT_TRUE(valid_slug(std::string(63, 'a')));
  EXPECT_FALSE(valid_slug("ab"));
  EXPECT_FALSE(valid_slug(std::string(64, 'a')));
  EXPECT_FALSE(valid_slug("My-Org"));
  EXPECT_FALSE(valid_slug("my_org"));
  EXPECT_FALSE(valid_slug("my org"));
}

TEST(auth_validation, roles) {
  EXPECT_TRUE(valid_role("admin"));
  EXPECT_TRUE(valid_role("counselor"));
  EXPECT_TRUE(valid_role("user"));
  EXPECT_FALSE(valid_role("Admin"));
  EXPECT_FALSE(valid_role("owner"));
  EXPECT_FALSE(valid_role(""));
}

TEST(auth_validation, names_are_trimmed_and_refuse_control_characters) {
  EXPECT_EQ(clean_name("  Ada  ").value(), "Ada");
  EXPECT_EQ(clean_name("Zoë Ümlaut").value(), "Zoë Ümlaut");
  EXPECT_FALSE(clean_name("   ").has_value());
  EXPECT_FALSE(clean_name("a\nb").has_value());
  EXPECT_FALSE(clean_name(std::string("a\0b", 3)).has_value());
  EXPECT_FALSE(clean_name("a\x7f").has_value());
}

TEST(auth_validation, uuids) {
  EXPECT_TRUE(valid_uuid("6f1c1b9e-3a4d-4c1e-9f0a-1b2c3d4e5f60"));
  EXPECT_FALSE(valid_uuid("6F1C1B9E-3A4D-4C1E-9F0A-1B2C3D4E5F60"));
  EXPECT_FALSE(valid_uuid("6f1c1b9e3a4d4c1e9f0a1b2c3d4e5f60"));
  EXPECT_FALSE(valid_uuid("../../etc/passwd"));
  EXPECT_FALSE(valid_uuid(""));
  for (int i = 0; i < 100; ++i)
    EXPECT_TRUE(valid_uuid(new_uuid()));
}

TEST(auth_handles, shape_and_range) {
  EXPECT_EQ(make_handle(0, 0, 3821), "calm-otter-4821");
  EXPECT_EQ(make_handle(handle_adjective_count(), handle_animal_count(), 9000), "calm-otter-1000");
  EXPECT_EQ(make_handle(0, 0, 8999).substr(11), "9999");
  EXPECT_TRUE(looks_like_handle("calm-otter-4821"));
  EXPECT_FALSE(looks_like_handle("calm-otter-0821"));
  EXPECT_FALSE(looks_like_handle("calm-4821"));
  EXPECT_FALSE(looks_like_handle("Calm-otter-4821"));
  EXPECT_FALSE(looks_like_handle("calm-otter-48211"));
  for (uint32_t a = 0; a < handle_adjective_count(); ++a)
    for (uint32_t b = 0; b < handle_animal_count(); ++b)
      ASSERT_TRUE(looks_like_handle(make_handle(a, b, a * b))) << make_handle(a, b, a * b);
}

TEST(auth_handles, random_handles_vary) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto h = random_handle();
    ASSERT_TRUE(looks_like_handle(h)) << h;
    seen.insert(h);
  }
  EXPECT_GT(seen.size(), 190u); // ~40M combinations: collisions in 200 draws are rare
}
