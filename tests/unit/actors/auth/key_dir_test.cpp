#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/stat.h>

#include "actors/auth/base64url.hpp"
#include "actors/auth/key_dir.hpp"
#include "actors/auth/signing_keys.hpp"
#include "auth_test_util.hpp"

using namespace haven::auth;
using namespace haven::auth::test;
namespace fs = std::filesystem;

namespace {

mode_t mode_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

void write_file(const std::string& path, const std::string& text, mode_t mode = 0600) {
  std::ofstream{path} << text;
  ::chmod(path.c_str(), mode);
}

std::set<std::string> kids(const signing_keys& ring) {
  std::set<std::string> out;
  for (const auto& k : ring.keys())
    out.insert(k.kid);
  return out;
}

} // namespace

TEST(key_dir, keygen_creates_a_private_folder_and_key) {
  temp_dir tmp;
  auto dir = tmp.sub("keys");
  auto gen = generate_key(dir);
  ASSERT_EQ(gen.error, "");
  EXPECT_TRUE(std::regex_match(gen.kid, std::regex{R"(\d{4}-\d\d-\d\d-\d{6}-[0-9a-f]{8})"}))
      << gen.kid;
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(mode_of(dir + "/" + gen.kid + ".key"), 0600u);
  auto res = load_signing_keys(dir);
  ASSERT_TRUE(res.keys) << res.error;
  EXPECT_EQ(res.keys->signer().kid, gen.kid);
  // Only the key file is left behind (no temp files).
  EXPECT_EQ(std::distance(fs::directory_iterator{dir}, fs::directory_iterator{}), 1);
}

TEST(key_dir, a_key_file_round_trips_and_signs_the_same) {
  temp_dir tmp;
  auto key = random_key("k1");
  write_file(tmp.sub("k1.key"), key_file_text(key));
  auto res = load_signing_keys(tmp.path());
  ASSERT_TRUE(res.keys) << res.error;
  EXPECT_EQ(res.keys->signer().pk, key.pk);
  EXPECT_EQ(res.keys->signer().sk, key.sk);
}

TEST(key_dir, accepts_a_full_64_byte_secret_key_but_not_an_inconsistent_one) {
  temp_dir tmp;
  auto key = random_key("k1");
  write_file(tmp.sub("k1.key"), b64url_encode(key.sk.data(), key.sk.size()) + "\n");
  ASSERT_TRUE(load_signing_keys(tmp.path()).keys);
  auto sk = key.sk;
  sk[40] ^= 1; // public half no longer matches the seed
  write_file(tmp.sub("k1.key"), b64url_encode(sk.data(), sk.size()));
  EXPECT_FALSE(load_signing_keys(tmp.path()).keys);
  auto text = key_file_text(key);
  text[0] = '\xd0'; // libsodium alone would read it as '_' (url-safe variants)
  EXPECT_FALSE(parse_key_file("k1", text));
}

TEST(key_dir, missing_or_empty_folder_is_an_error_outside_dev) {
  temp_dir tmp;
  auto dir = tmp.sub("nope");
  auto res = load_or_create_signing_keys(dir, false);
  EXPECT_FALSE(res.keys);
  EXPECT_NE(res.error.find("does not exist"), std::string::npos) << res.error;
  EXPECT_NE(res.error.find("haven keygen"), std::string::npos) << res.error;
  EXPECT_FALSE(fs::exists(dir));
  res = load_or_create_signing_keys(tmp.path(), false);
  EXPECT_FALSE(res.keys);
  EXPECT_NE(res.error.find("holds no signing key"), std::string::npos) << res.error;
}

TEST(key_dir, dev_generates_once_then_reuses) {
  temp_dir tmp;
  auto dir = tmp.sub("keys");
  auto first = load_or_create_signing_keys(dir, true);
  ASSERT_TRUE(first.keys) << first.error;
  auto second = load_or_create_signing_keys(dir, true);
  ASSERT_TRUE(second.keys) << second.error;
  EXPECT_EQ(kids(*first.keys), kids(*second.keys));
  EXPECT_EQ(first.keys->keys().size(), 1u);
}

TEST(key_dir, dev_does_not_paper_over_a_broken_key) {
  temp_dir tmp;
  write_file(tmp.sub("k1.key"), "not base64!");
  auto res = load_or_create_signing_keys(tmp.path(), true);
  EXPECT_FALSE(res.keys);
  EXPECT_NE(res.error.find("k1.key"), std::string::npos) << res.error;
  EXPECT_EQ(std::distance(fs::directory_iterator{tmp.path()}, fs::directory_iterator{}), 1);
}

TEST(key_dir, refuses_keys_open_to_others) {
  temp_dir tmp;
  write_file(tmp.sub("k1.key"), key_file_text(random_key("k1")), 0644);
  auto res = load_signing_keys(tmp.path());
  EXPECT_FALSE(res.keys);
  EXPECT_NE(res.error.find("chmod 600"), std::string::npos) << res.error;
  ::chmod(tmp.sub("k1.key").c_str(), 0640); // group-readable: refused too (audit L7)
  EXPECT_FALSE(load_signing_keys(tmp.path()).keys);
  ::chmod(tmp.sub("k1.key").c_str(), 0400);
  EXPECT_TRUE(load_signing_keys(tmp.path()).keys);
}

// Audit L7: whoever can write the folder can add the key that signs.
TEST(key_dir, refuses_a_folder_others_can_write) {
  temp_dir tmp;
  write_file(tmp.sub("k1.key"), key_file_text(random_key("k1")));
  ::chmod(tmp.path().c_str(), 0777);
  auto res = load_signing_keys(tmp.path());
  EXPECT_FALSE(res.keys);
  EXPECT_NE(res.error.find("writable by other users"), std::string::npos) << res.error;
  ::chmod(tmp.path().c_str(), 0755);
  EXPECT_TRUE(load_signing_keys(tmp.path()).keys);
}

TEST(key_dir, ignores_other_files_and_refuses_bad_names) {
  temp_dir tmp;
  write_file(tmp.sub("k1.key"), key_file_text(random_key("k1")));
  write_file(tmp.sub("README"), "hello");
  write_file(tmp.sub(".hidden.key"), "garbage");
  fs::create_directory(tmp.sub("sub.key"));
  auto res = load_signing_keys(tmp.path());
  ASSERT_TRUE(res.keys) << res.error;
  EXPECT_EQ(kids(*res.keys), std::set<std::string>{"k1"});
  write_file(tmp.sub("bad name.key"), key_file_text(random_key("x")));
  EXPECT_FALSE(load_signing_keys(tmp.path()).keys);
}

TEST(key_dir, follows_symlinks_like_kubernetes_secrets) {
  temp_dir tmp;
  fs::create_directory(tmp.sub("..data"));
  write_file(tmp.sub("..data/k1.key"), key_file_text(random_key("k1")), 0400);
  fs::create_symlink("..data/k1.key", tmp.sub("k1.key"));
  auto res = load_signing_keys(tmp.path());
  ASSERT_TRUE(res.keys) << res.error;
  EXPECT_EQ(res.keys->signer().kid, "k1");
}

TEST(key_dir, newest_kid_signs_all_verify) {
  temp_dir tmp;
  auto dir = tmp.sub("keys");
  auto a = generate_key(dir), b = generate_key(dir);
  ASSERT_EQ(a.error + b.error, "");
  auto res = load_signing_keys(dir);
  ASSERT_TRUE(res.keys) << res.error;
  EXPECT_EQ(res.keys->keys().size(), 2u);
  EXPECT_EQ(res.keys->signer().kid, std::max(a.kid, b.kid));
  EXPECT_TRUE(res.keys->find(a.kid) && res.keys->find(b.kid));
}

TEST(key_dir, concurrent_dev_start_ups_share_one_key) {
  for (int round = 0; round < 20; ++round) {
    temp_dir tmp;
    auto dir = tmp.sub("keys");
    key_ring_result r1, r2;
    std::thread t1{[&] { r1 = load_or_create_signing_keys(dir, true); }};
    std::thread t2{[&] { r2 = load_or_create_signing_keys(dir, true); }};
    t1.join();
    t2.join();
    ASSERT_TRUE(r1.keys && r2.keys) << r1.error << r2.error;
    EXPECT_EQ(r1.keys->keys().size(), 1u);
    EXPECT_EQ(kids(*r1.keys), kids(*r2.keys));
  }
}

TEST(key_dir, concurrent_keygens_both_write_complete_keys) {
  temp_dir tmp;
  auto dir = tmp.sub("keys");
  keygen_result g1, g2;
  std::thread t1{[&] { g1 = generate_key(dir); }};
  std::thread t2{[&] { g2 = generate_key(dir); }};
  t1.join();
  t2.join();
  ASSERT_EQ(g1.error + g2.error, "");
  EXPECT_NE(g1.kid, g2.kid);
  auto res = load_signing_keys(dir);
  ASSERT_TRUE(res.keys) << res.error;
  EXPECT_EQ(kids(*res.keys), (std::set<std::string>{g1.kid, g2.kid}));
}

TEST(key_dir, jwks_has_the_public_keys_only) {
  std::vector<signing_key> ks;
  ks.push_back(random_key("b"));
  ks.push_back(random_key("a"));
  signing_keys ring{std::move(ks)};
  auto json = ring.jwks_json();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(json).get(doc)) << json;
  simdjson::dom::array keys;
  ASSERT_FALSE(doc["keys"].get_array().get(keys));
  ASSERT_EQ(keys.size(), 2u);
  size_t i = 0;
  for (simdjson::dom::object k : keys) {
    const auto& key = ring.keys()[i++];
    EXPECT_EQ(k.size(), 6u);
    EXPECT_EQ(std::string_view{k["kty"]}, "OKP");
    EXPECT_EQ(std::string_view{k["crv"]}, "Ed25519");
    EXPECT_EQ(std::string_view{k["alg"]}, "EdDSA");
    EXPECT_EQ(std::string_view{k["use"]}, "sig");
    EXPECT_EQ(std::string_view{k["kid"]}, key.kid);
    auto x = b64url_decode(std::string_view{k["x"]});
    ASSERT_TRUE(x);
    EXPECT_EQ(*x, std::string(reinterpret_cast<const char*>(key.pk.data()), key.pk.size()));
  }
  EXPECT_EQ(json.find(b64url_encode(ring.keys()[0].sk.data(), 32)), std::string::npos);
}
