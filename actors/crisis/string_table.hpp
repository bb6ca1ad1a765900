#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// A string -> uint32 map with open addressing and string_view lookups, so a
// word can be looked up without building a std::string (C++17's unordered_map
// has no heterogeneous lookup). Built once at start-up, then read-only.

namespace haven::crisis {

class string_table {
 public:
  /// The value stored under `key`, or nullptr.
  const uint32_t* find(std::string_view key) const;

  /// Stores `value` under `key` unless the key exists; returns the value now
  /// stored under it.
  uint32_t insert(std::string_view key, uint32_t value);

  size_t size() const { return count_; }

 private:
  struct slot {
    uint64_t hash = 0;
    uint32_t begin = 0;
    uint32_t len = 0;
    uint32_t value = 0;
    bool used = false;
  };

  static uint64_t hash_of(std::string_view key);
  void grow();

  std::string keys_; // every key back to back
  std::vector<slot> slots_;
  size_t count_ = 0;
};

} // namespace haven::crisis
