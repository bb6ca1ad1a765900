#include "actors/crisis/resources.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "crisis_test_util.hpp"

using namespace haven::crisis;

namespace {

std::vector<std::string> names(const std::vector<const resource*>& rs) {
  std::vector<std::string> out;
  for (const auto* r : rs)
    out.push_back(r->name);
  return out;
}

std::string write_temp(const std::string& text) {
  std::string path = std::filesystem::temp_directory_path() /
                     ("haven_resources_" + std::to_string(::getpid()) + ".tsv");
  std::ofstream{path} << text;
  return path;
}

const char* sample = "A\t1\t-\tsw-KE\ts\tverified\n"
                     "B\t-\thttps://b\tsw\ts\tdeployment\n"
                     "C\t3\t-\ten-US\ts\tverified\n"
                     "D\t4\t-\ten-GB,en-IE\ts\tverified\n"
                     "G\t-\thttps://g\t*\ts\tverified\n"
                     "P\tTO-BE-FILLED\t-\t*\ts\tplaceholder\n";

} // namespace

TEST(crisis_resources, falls_back_from_region_to_language_to_english) {
  auto r = load_resources(write_temp(sample));
  ASSERT_TRUE(r.resources) << r.error;
  const auto& set = *r.resources;
  EXPECT_EQ(names(resources_for(set, "sw-KE")), (std::vector<std::string>{"A", "B", "G"}));
  EXPECT_EQ(names(resources_for(set, "sw_ke")), (std::vector<std::string>{"A", "B", "G"}));
  EXPECT_EQ(names(resources_for(set, "sw-TZ")),
            (std::vector<std::string>{"B", "G"})); // bare language
  EXPECT_EQ(names(resources_for(set, "en-IE")), (std::vector<std::string>{"D", "G"}));
  EXPECT_EQ(names(resources_for(set, "en")),
            (std::vector<std::string>{"C", "D", "G"})); // any region
  EXPECT_EQ(names(resources_for(set, "fr-FR")),
            (std::vector<std::string>{"C", "D", "G"})); // English
  EXPECT_EQ(names(resources_for(set, "")), (std::vector<std::string>{"C", "D", "G"}));
}

TEST(crisis_resources, placeholders_are_never_returned) {
  auto r = load_resources(write_temp(sample));
  for (const char* loc : {"sw", "en", "de"})
    for (const auto* res : resources_for(*r.resources, loc))
      EXPECT_NE(res->status, verification::placeholder);
}

TEST(crisis_resources, rejects_malformed_files) {
  EXPECT_NE(load_resources(write_temp("A\t1\t-\tsw\ts\n")).error.find(":1: expected"),
            std::string::npos);
  EXPECT_NE(load_resources(write_temp("A\t1\t-\tsw\ts\tmaybe\n")).error.find("unknown status"),
            std::string::npos);
  EXPECT_NE(load_resources(write_temp("A\t-\t-\tsw\ts\tverified\n")).error.find("phone or a url"),
            std::string::npos);
  EXPECT_FALSE(load_resources("/nonexistent/resources.tsv").error.empty());
}

TEST(crisis_resources, the_shipped_file_loads_and_marks_its_numbers) {
  auto r = load_resources(haven::crisis::test::data_dir() + "/resources.tsv");
  ASSERT_TRUE(r.resources) << r.error;
  auto kenya = resources_for(*r.resources, "sw-KE");
  ASSERT_FALSE(kenya.empty());
  bool befrienders = false;
  for (const auto* res : kenya)
    befrienders = befrienders || res->phone == "+254 722 178 177";
  EXPECT_TRUE(befrienders);
  size_t placeholders = 0;
  for (const auto& res : r.resources->items)
    placeholders += res.status == verification::placeholder;
  EXPECT_GT(placeholders, 0u); // deployments must fill these in
}
