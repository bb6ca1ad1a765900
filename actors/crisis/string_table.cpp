#include "actors/crisis/string_table.hpp"

namespace haven::crisis {

uint64_t string_table::hash_of(std::string_view key) {
  uint64_t h = 0xcbf29ce484222325ull; // FNV-1a: words are short, this is fast enough
  for (char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h ^ (h >> 29);
}

const uint32_t* string_table::find(std::string_view key) const {
  if (slots_.empty())
    return nullptr;
  uint64_t h = hash_of(key);
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const slot& s = slots_[i];
    if (!s.used)
      return nullptr;
    if (s.hash == h && std::string_view{keys_.data() + s.begin, s.len} == key)
      return &s.value;
  }
}

uint32_t string_table::insert(std::string_view key, uint32_t value) {
  if (const uint32_t* v = find(key))
    return *v;
  if ((count_ + 1) * 2 > slots_.size())
    grow();
  uint64_t h = hash_of(key);
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (slots_[i].used)
    i = (i + 1) & mask;
  slots_[i] =
      slot{h, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(key.size()), value, true};
  keys_.append(key);
  ++count_;
  return value;
}

void string_table::grow() {
  std::vector<slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, slot{});
  size_t mask = slots_.size() - 1;
  for (const slot& s : old) {
    if (!s.used)
      continue;
    size_t i = s.hash & mask;
    while (slots_[i].used)
      i = (i + 1) & mask;
    slots_[i] = s;
  }
}

} // namespace haven::crisis
