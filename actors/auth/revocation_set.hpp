#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "messages/auth.hpp"

// The node-local revoked set the edge checks on every authenticated request
// (ARCHITECTURE.md rule 3): revoked token ids (jti) and sessions (sid), each
// until the last token it could affect has expired. Single-threaded: it lives
// on the edge's thread. Pure, unit-tested.

namespace haven::auth {

class revocation_set {
 public:
  /// Adds (or extends) an entry; entries already over at `now` are ignored.
  void add(const revocation& r, int64_t now);
  void add(const std::vector<revocation>& list, int64_t now);

  /// True when the token's jti or its session is revoked at `now`.
  bool revoked(const std::string& jti, const std::string& sid, int64_t now) const;

  /// Drops entries that are over (called from add now and then, amortized).
  void prune(int64_t now);

  size_t size() const { return jti_.size() + sid_.size(); }

 private:
  using map = std::unordered_map<std::string, int64_t>;
  static bool live(const map& m, const std::string& key, int64_t now);

  map jti_;
  map sid_;
  size_t adds_since_prune_ = 0;
};

} // namespace haven::auth
