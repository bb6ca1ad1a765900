#include "actors/moderation/pii.hpp"

#include <gtest/gtest.h>

using namespace haven::moderation;

namespace {

std::string redact(std::string_view s) {
  return redact_pii(s).text;
}

} // namespace

TEST(moderation_pii, luhn) {
  EXPECT_TRUE(luhn_valid("4111111111111111"));
  EXPECT_TRUE(luhn_valid("4111 1111 1111 1111"));
  EXPECT_TRUE(luhn_valid("378282246310005"));
  EXPECT_TRUE(luhn_valid("79927398713"));
  EXPECT_FALSE(luhn_valid("4111111111111112"));
  EXPECT_FALSE(luhn_valid("1234567812345678"));
  EXPECT_FALSE(luhn_valid("0"));
  EXPECT_FALSE(luhn_valid(""));
}

TEST(moderation_pii, cards_that_pass_luhn_are_redacted) {
  EXPECT_EQ(redact("card 4111 1111 1111 1111 thanks"), "card [CARD] thanks");
  EXPECT_EQ(redact("4111-1111-1111-1111"), "[CARD]");
  EXPECT_EQ(redact("4111111111111111"), "[CARD]");
  EXPECT_EQ(redact("amex 378282246310005"), "amex [CARD]");
  EXPECT_EQ(redact("amex 3782 822463 10005."), "amex [CARD].");
  EXPECT_EQ(redact("mc 5555 5555 5555 4444, exp 12/27"), "mc [CARD], exp 12/27");
  EXPECT_EQ(redact("visa 13: 4222222222222"), "visa 13: [CARD]");
  auto r = redact_pii("4111 1111 1111 1111");
  EXPECT_EQ(r.found.card, 1u);
  EXPECT_EQ(r.found.phone, 0u);
}

TEST(moderation_pii, luhn_failing_or_odd_long_numbers_are_left_alone) {
  // A 16-digit number that fails Luhn is not a card (and not a phone: too
  // long for a national number, no '+' or '00').
  EXPECT_EQ(redact("4111 1111 1111 1112"), "4111 1111 1111 1112");
  EXPECT_EQ(redact("tracking 1234567812345678"), "tracking 1234567812345678");
  // Luhn-valid but no card network starts with 1, 7, 8, 9 or 0: ids, timestamps.
  EXPECT_EQ(redact("id 1000000000009"), "id 1000000000009");
  EXPECT_EQ(redact("ts 1700000000000"), "ts 1700000000000");
  // Groups that are not a card layout.
  EXPECT_EQ(redact("41 111 111 111 111 11"), "41 111 111 111 111 11");
}

TEST(moderation_pii, international_phone_formats) {
  EXPECT_EQ(redact("+254 712 345 678"), "[PHONE]");
  EXPECT_EQ(redact("+1 (555) 123-4567"), "[PHONE]");
  EXPECT_EQ(redact("+44 20 7946 0958"), "[PHONE]");
  EXPECT_EQ(redact("00254712345678"), "[PHONE]");
  EXPECT_EQ(redact("+254712345678"), "[PHONE]");
  EXPECT_EQ(redact("+254-712-345-678"), "[PHONE]");
  EXPECT_EQ(redact("+44 (0)20 7946 0958"), "[PHONE]");
  EXPECT_EQ(redact("0044 20 7946 0958"), "[PHONE]");
}

TEST(moderation_pii, local_phone_formats) {
  EXPECT_EQ(redact("0712 345 678"), "[PHONE]");
  EXPECT_EQ(redact("0712345678"), "[PHONE]");
  EXPECT_EQ(redact("(555) 123-4567"), "[PHONE]");
  EXPECT_EQ(redact("555-123-4567"), "[PHONE]");
  EXPECT_EQ(redact("555.123.4567"), "[PHONE]");
  EXPECT_EQ(redact("020 7946 0958"), "[PHONE]");
  EXPECT_EQ(redact("1-555-123-4567"), "[PHONE]");
  EXPECT_EQ(redact("(020) 7946 0958"), "[PHONE]");
}

TEST(moderation_pii, phones_inside_text_and_next_to_punctuation) {
  EXPECT_EQ(redact("call me on 0712345678."), "call me on [PHONE].");
  EXPECT_EQ(redact("call 0712 345 678, or 0722 111 222!"), "call [PHONE], or [PHONE]!");
  EXPECT_EQ(redact("(0712345678)"), "([PHONE])");
  EXPECT_EQ(redact("tel:+254712345678"), "tel:[PHONE]");
  EXPECT_EQ(redact("0712345678,0722345678"), "[PHONE],[PHONE]");
  EXPECT_EQ(redact("on 2024-03-15 0712 345 678 called"), "on 2024-03-15 [PHONE] called");
  EXPECT_EQ(redact("0712 345 678 0722 111 222"), "[PHONE] [PHONE]");
  EXPECT_EQ(redact("+254 712 345 678 2024"), "[PHONE] 2024");
  auto r = redact_pii("0712345678 and +44 20 7946 0958");
  EXPECT_EQ(r.found.phone, 2u);
}

TEST(moderation_pii, no_false_positives_on_numbers_that_are_not_pii) {
  const char* keep[] = {
      "born in 1999, now 2024",
      "the years 1990-2020",
      "on 2024-03-15 at 10:30",
      "2024-03-15T10:30:00Z",
      "15/03/2024 at 10:30:45",
      "15.03.2024",
      "it costs $1,500.00 or KSh 12,000",
      "KES 1500000",
      "price: 1,234,567,890",
      "order #12345 and order 98765",
      "ORD0712345678",
      "version 1.2.3 and build 10.0.19041.1234",
      "ip 192.168.100.1",
      "pi is 3.14159265358979",
      "timestamp 1700000000",
      "between 500-1000 people",
      "room 101, floor 3",
      "50% of 2000",
      "call 116 or 1199",
      "555-1234",
  };
  for (const char* s : keep) {
    auto r = redact_pii(s);
    EXPECT_EQ(r.text, s);
    EXPECT_FALSE(r.found.any()) << s;
  }
}

TEST(moderation_pii, emails_inside_text) {
  EXPECT_EQ(redact("mail john.doe+tag@mail.example.co.ke. thanks"), "mail [EMAIL]. thanks");
  EXPECT_EQ(redact("a.b@example.com, or c@d.io!"), "[EMAIL], or [EMAIL]!");
  EXPECT_EQ(redact("(me@x.org)"), "([EMAIL])");
  EXPECT_EQ(redact("<ME@Example.COM>"), "<[EMAIL]>");
  EXPECT_EQ(redact("x@y.com."), "[EMAIL].");
  EXPECT_EQ(redact("write to .first_last-1@sub.domain-x.org;"), "write to .[EMAIL];");
  EXPECT_EQ(redact("user2024@gmail.com"), "[EMAIL]");
}

TEST(moderation_pii, things_that_are_not_emails) {
  const char* keep[] = {"@username",    "user@localhost", "john@example.c",
                        "foo@bar..com", "a@-b.com",       "me @ home",
                        "@@",           "x@1.2"};
  for (const char* s : keep)
    EXPECT_EQ(redact(s), s);
}

TEST(moderation_pii, several_kinds_in_one_text) {
  auto r = redact_pii("I'm jane@example.com, 0712 345 678, card 4111111111111111, "
                      "or +1 (555) 123-4567 / jane.w@work.co.uk");
  EXPECT_EQ(r.text, "I'm [EMAIL], [PHONE], card [CARD], or [PHONE] / [EMAIL]");
  EXPECT_EQ(r.found.email, 2u);
  EXPECT_EQ(r.found.phone, 2u);
  EXPECT_EQ(r.found.card, 1u);
  EXPECT_EQ(r.found.total(), 5u);
}

TEST(moderation_pii, digits_inside_an_email_stay_in_the_email) {
  auto r = redact_pii("0712345678@example.com");
  EXPECT_EQ(r.text, "[EMAIL]");
  EXPECT_EQ(r.found.phone, 0u);
}

TEST(moderation_pii, allowlist_keeps_crisis_lines) {
  pii_allowlist allow;
  allow.phones = {"+254 722 178 177", "0722178177"};
  allow.emails = {"help@befrienderskenya.org"};
  auto r = redact_pii("Call +254722178177 or 0722 178 177, mail HELP@befrienderskenya.org, "
                      "not 0712345678",
                      allow);
  EXPECT_EQ(r.text, "Call +254722178177 or 0722 178 177, mail HELP@befrienderskenya.org, "
                    "not [PHONE]");
  EXPECT_EQ(r.found.total(), 1u);
}

TEST(moderation_pii, placeholders_are_exact) {
  EXPECT_EQ(redact("a@b.co"), "[EMAIL]");
  EXPECT_EQ(redact("0712345678"), "[PHONE]");
  EXPECT_EQ(redact("4111111111111111"), "[CARD]");
  EXPECT_EQ(redact(""), "");
  EXPECT_EQ(redact("no pii here"), "no pii here");
}
