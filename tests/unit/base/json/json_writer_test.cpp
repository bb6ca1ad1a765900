#include "base/json/json_writer.hpp"

#include <gtest/gtest.h>

using haven::json::writer;

TEST(json_writer, nested_objects_and_arrays_get_commas_right) {
  writer w;
  w.begin_object().field("a", 1).key("b").begin_array().value("x").value(true).null().end_array();
  w.key("c").begin_object().end_object().end_object();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",true,null],"c":{}})");
}

TEST(json_writer, strings_are_escaped) {
  writer w;
  w.value(std::string_view{"q\"b\\n\n\t\x01 é"});
  EXPECT_EQ(w.str(), "\"q\\\"b\\\\n\\n\\t\\u0001 é\"");
}

TEST(json_writer, non_finite_doubles_become_null) {
  writer w;
  w.begin_array().value(0.5).value(1.0 / 0.0).end_array();
  EXPECT_EQ(w.str(), "[0.5,null]");
}

TEST(json_writer, raw_inserts_verbatim) {
  writer w;
  w.begin_object().key("p").raw(R"({"k":[1,2]})").end_object();
  EXPECT_EQ(w.str(), R"({"p":{"k":[1,2]}})");
}
