#include "actors/auth/token_cache.hpp"

#include "actors/auth/sodium_init.hpp"

namespace haven::auth {

token_cache::token_cache(size_t capacity) : capacity_(capacity) {
  ensure_sodium();
  // A secret per-process key: nobody can precompute which tokens collide in
  // the hash table's buckets.
  randombytes_buf(hash_key_.data(), hash_key_.size());
  // Slots grow on demand up to the capacity: an idle node holds no cache memory.
}

token_cache::digest token_cache::digest_of(std::string_view token) const {
  digest d;
  crypto_shorthash_siphashx24(d.data(), reinterpret_cast<const unsigned char*>(token.data()),
                              token.size(), hash_key_.data());
  return d;
}

const access_claims* token_cache::find(std::string_view token, int64_t now) {
  if (index_.empty()) {
    ++misses_;
    return nullptr;
  }
  auto it = index_.find(digest_of(token));
  if (it == index_.end()) {
    ++misses_;
    return nullptr;
  }
  slot& s = slots_[it->second];
  if (now >= s.valid_until) {
    release(it->second);
    ++misses_;
    return nullptr;
  }
  s.referenced = true;
  ++hits_;
  return &s.claims;
}

void token_cache::insert(std::string_view token, const access_claims& claims, int64_t valid_until,
                         int64_t now) {
  if (capacity_ == 0 || now >= valid_until)
    return;
  auto d = digest_of(token);
  auto it = index_.find(d);
  uint32_t i = it != index_.end() ? it->second : take_slot(now);
  slot& s = slots_[i];
  s.key = d;
  s.claims = claims;
  s.valid_until = valid_until;
  s.used = true;
  s.referenced = false; // earns its second chance on the first hit
  index_[d] = i;
}

void token_cache::erase(std::string_view token) {
  auto it = index_.find(digest_of(token));
  if (it != index_.end())
    release(it->second);
}

uint32_t token_cache::take_slot(int64_t now) {
  if (!free_.empty()) {
    uint32_t i = free_.back();
    free_.pop_back();
    return i;
  }
  if (slots_.size() < capacity_) {
    slots_.emplace_back();
    return static_cast<uint32_t>(slots_.size() - 1);
  }
  // CLOCK: every slot is used. Clear reference bits until an unreferenced or
  // expired slot comes round; at most two sweeps.
  for (;;) {
    uint32_t i = static_cast<uint32_t>(hand_);
    hand_ = (hand_ + 1) % slots_.size();
    slot& s = slots_[i];
    if (s.referenced && now < s.valid_until) {
      s.referenced = false;
      continue;
    }
    if (now < s.valid_until)
      ++evictions_; // expired entries leaving are not evictions
    index_.erase(s.key);
    s.used = false;
    return i;
  }
}

void token_cache::release(uint32_t i) {
  slot& s = slots_[i];
  index_.erase(s.key);
  s.used = false;
  s.claims = access_claims{}; // drop the strings now, not at reuse
  free_.push_back(i);
}

} // namespace haven::auth
