// Encryption at rest (docs/conversations.md): a sealed message opens only with
// its own message id and user id, only under a key of the ring, and a rotated
// ring opens old rows while sealing under the new key.
#include <gtest/gtest.h>

#include "actors/sessions/data_key.hpp"

namespace haven::sessions {
namespace {

const std::string key_a = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
const std::string key_b = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const std::string msg_id = "0b7a4f0e-1d0c-4a8e-9a51-8d4c9f3e2b10";
const std::string user_id = "5f1d2c3b-4a59-4e7f-8a1b-2c3d4e5f6a7b";

std::shared_ptr<const key_ring> ring(const std::string& current,
                                     std::vector<std::string> old = {}) {
  std::string error;
  auto r = key_ring::from_base64(current, old, &error);
  EXPECT_TRUE(r) << error;
  return r;
}

TEST(ConversationDataKey, SealsAndOpensWithItsIds) {
  auto r = ring(key_a);
  auto s = r->seal("I feel alone tonight", msg_id, user_id);
  EXPECT_EQ(s.key_id, r->current_id());
  EXPECT_EQ(s.nonce.size(), nonce_bytes);
  EXPECT_EQ(s.ciphertext.find("alone"), std::string::npos);
  auto text = r->open(s, msg_id, user_id);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "I feel alone tonight");
}

TEST(ConversationDataKey, WrongAssociatedDataFails) {
  auto r = ring(key_a);
  auto s = r->seal("secret", msg_id, user_id);
  EXPECT_FALSE(r->open(s, msg_id, "5f1d2c3b-4a59-4e7f-8a1b-2c3d4e5f6a7c"));  // another user
  EXPECT_FALSE(r->open(s, "0b7a4f0e-1d0c-4a8e-9a51-8d4c9f3e2b11", user_id)); // another message
  // The separator keeps "ab"+"c" apart from "a"+"bc".
  auto t = r->seal("x", "ab", "c");
  EXPECT_FALSE(r->open(t, "a", "bc"));
}

TEST(ConversationDataKey, WrongKeyAndTamperingFail) {
  auto a = ring(key_a);
  auto b = ring(key_b);
  auto s = a->seal("secret", msg_id, user_id);
  EXPECT_FALSE(b->open(s, msg_id, user_id)); // key id unknown to b
  auto forged = s;
  forged.key_id = b->current_id(); // claims b's key: the tag fails
  EXPECT_FALSE(b->open(forged, msg_id, user_id));
  auto flipped = s;
  flipped.ciphertext[0] ^= 1;
  EXPECT_FALSE(a->open(flipped, msg_id, user_id));
  auto short_nonce = s;
  short_nonce.nonce.pop_back();
  EXPECT_FALSE(a->open(short_nonce, msg_id, user_id));
  auto truncated = s;
  truncated.ciphertext.resize(3);
  EXPECT_FALSE(a->open(truncated, msg_id, user_id));
}

TEST(ConversationDataKey, RotatedRingOpensOldRowsAndSealsWithTheNewKey) {
  auto old_ring = ring(key_a);
  auto old_row = old_ring->seal("from before", msg_id, user_id);
  auto rotated = ring(key_b, {key_a});
  EXPECT_NE(rotated->current_id(), old_ring->current_id());
  EXPECT_TRUE(rotated->holds(old_ring->current_id()));
  auto text = rotated->open(old_row, msg_id, user_id);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "from before");
  auto new_row = rotated->seal(*text, msg_id, user_id);
  EXPECT_EQ(new_row.key_id, rotated->current_id());
  EXPECT_FALSE(old_ring->open(new_row, msg_id, user_id)); // the old ring cannot read new rows
}

TEST(ConversationDataKey, NoncesAreFreshAndIdsStable) {
  auto r = ring(key_a);
  auto s1 = r->seal("same", msg_id, user_id);
  auto s2 = r->seal("same", msg_id, user_id);
  EXPECT_NE(s1.nonce, s2.nonce);
  EXPECT_NE(s1.ciphertext, s2.ciphertext);
  EXPECT_EQ(ring(key_a)->current_id(), r->current_id());
  EXPECT_EQ(r->current_id().size(), 16u);
}

TEST(ConversationDataKey, MalformedKeysAreRefusedWithoutEchoingThem) {
  std::string error;
  EXPECT_FALSE(key_ring::from_base64("c2hvcnQ=", {}, &error));
  EXPECT_EQ(error.find("c2hvcnQ"), std::string::npos);
  EXPECT_FALSE(key_ring::from_base64(key_a, {"not base64!"}, &error));
  EXPECT_NE(error.find("HAVEN_DATA_KEYS_OLD"), std::string::npos);
  EXPECT_TRUE(parse_key_list(""));
  EXPECT_EQ(parse_key_list(key_a + "," + key_b)->size(), 2u);
  EXPECT_FALSE(parse_key_list(key_a + ",,"));
  EXPECT_FALSE(parse_key_list("abc"));
  auto fresh = new_data_key_base64();
  EXPECT_TRUE(ring(fresh));
}

} // namespace
} // namespace haven::sessions
