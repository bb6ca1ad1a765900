#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

#include "messages/auth.hpp"

// Node-local cache of USER views so GET /v1/auth/me costs no PostgreSQL round
// trip. Entries live `ttl` at most; a change on this node erases the entry at
// once and tells the other nodes on `<prefix>.cluster.user`, so the TTL only
// bounds staleness when that message is lost (NATS down). Pure, injected clock.

namespace haven::auth {

class user_cache {
 public:
  using clock = std::chrono::steady_clock;

  explicit user_cache(std::chrono::milliseconds ttl = std::chrono::seconds(30),
                      size_t max_entries = 100000);

  const user_view* find(const std::string& id, clock::time_point now) const;
  void put(const user_view& u, clock::time_point now);
  void erase(const std::string& id) { entries_.erase(id); }
  size_t size() const { return entries_.size(); }

 private:
  struct entry {
    user_view user;
    clock::time_point until;
  };
  std::chrono::milliseconds ttl_;
  size_t max_entries_;
  std::unordered_map<std::string, entry> entries_;
};

} // namespace haven::auth
