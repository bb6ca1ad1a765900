// Field rules of the safety routes: text size in bytes, locale, session id.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "actors/crisis/routes/safety_fields.hpp"

namespace haven::crisis {
namespace {

struct parsed {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  explicit parsed(const std::string& json) { root = parser.parse(json).value(); }
};

TEST(safety_fields, text_is_required_non_empty_and_at_most_8_kib) {
  {
    parsed p{"{}"};
    http::body_reader b{&p.root};
    EXPECT_EQ(read_text(b), "");
    EXPECT_FALSE(b.ok());
  }
  {
    parsed p{"{\"text\": 5}"};
    http::body_reader b{&p.root};
    read_text(b);
    EXPECT_FALSE(b.ok());
  }
  {
    parsed p{"{\"text\": \"\"}"};
    http::body_reader b{&p.root};
    read_text(b);
    EXPECT_FALSE(b.ok());
  }
  {
    parsed p{"{\"text\": \"" + std::string(8192, 'a') + "\"}"};
    http::body_reader b{&p.root};
    EXPECT_EQ(read_text(b).size(), 8192u);
    EXPECT_TRUE(b.ok());
  }
  {
    // 4100 two-byte characters: under 8192 characters, over 8192 bytes.
    std::string s;
    for (int i = 0; i < 4100; ++i)
      s += "\xC3\xA9";
    parsed p{"{\"text\": \"" + s + "\"}"};
    http::body_reader b{&p.root};
    read_text(b);
    EXPECT_FALSE(b.ok());
  }
}

TEST(safety_fields, locale_and_session_id_shapes) {
  EXPECT_TRUE(valid_locale("en"));
  EXPECT_TRUE(valid_locale("sw-KE"));
  EXPECT_TRUE(valid_locale("sw-Latn-KE"));
  EXPECT_FALSE(valid_locale(""));
  EXPECT_FALSE(valid_locale("e"));
  EXPECT_FALSE(valid_locale("en-"));
  EXPECT_FALSE(valid_locale("en_US"));
  EXPECT_FALSE(valid_locale("1n"));
  EXPECT_TRUE(valid_session_id("3f2a-11:x_y.z"));
  EXPECT_FALSE(valid_session_id(""));
  EXPECT_FALSE(valid_session_id(std::string(129, 'a')));
  EXPECT_FALSE(valid_session_id("a b"));
  EXPECT_FALSE(valid_session_id("a\nb"));
}

} // namespace
} // namespace haven::crisis
