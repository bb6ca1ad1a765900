#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

#include "messages/auth.hpp"

// Node-local cache of USER views so GET /v1/auth/me costs no PostgreSQL round
// trip. Entries live `ttl` at most; a change on this node erases the entry at
// once and tells the other nodes on `<prefix>.cluster.user`, so the TTL only
// bounds staleness when that message is lost (NATS down). Pure, injected clock.
// The HTTP edge keeps a second instance so GET /v1/auth/me needs no actor hop;
// the auth actor forwards every invalidation to it.

namespace haven::auth {

class user_cache {
 public:
  using clock = std::chrono::steady_clock;

  explicit user_cache(std::chrono::milliseconds ttl = std::chrono::seconds(30),
                      size_t max_entries = 100000);

  const user_view* find(const std::string& id, clock::time_point now) const;
  void put(const user_view& u, clock::time_point now);
  /// put() unless an erase happened since generation() read `seen`: a view
  /// fetched before a change must not outlive the change's invalidation.
  void put_if_current(const user_view& u, clock::time_point now, uint64_t seen);
  void erase(const std::string& id) {
    entries_.erase(id);
    ++generation_;
  }
  uint64_t generation() const { return generation_; }
  size_t size() const { return entries_.size(); }

 private:
  struct entry {
    user_view user;
    clock::time_point until;
  };
  std::chrono::milliseconds ttl_;
  size_t max_entries_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, entry> entries_;
};

} // namespace haven::auth
