#include "actors/auth/user_cache.hpp"

namespace haven::auth {

user_cache::user_cache(std::chrono::milliseconds ttl, size_t max_entries)
    : ttl_(ttl), max_entries_(max_entries) {}

const user_view* user_cache::find(const std::string& id, clock::time_point now) const {
  auto i = entries_.find(id);
  if (i == entries_.end() || i->second.until <= now)
    return nullptr;
  return &i->second.user;
}

void user_cache::put(const user_view& u, clock::time_point now) {
  if (max_entries_ == 0)
    return;
  if (entries_.size() >= max_entries_ && entries_.find(u.id) == entries_.end()) {
    for (auto i = entries_.begin(); i != entries_.end();)
      i = i->second.until <= now ? entries_.erase(i) : std::next(i);
    if (entries_.size() >= max_entries_)
      entries_.erase(entries_.begin()); // still full: drop any one (it is only a cache)
  }
  entries_[u.id] = entry{u, now + ttl_};
}

void user_cache::put_if_current(const user_view& u, clock::time_point now, uint64_t seen) {
  if (seen == generation_)
    put(u, now);
}

} // namespace haven::auth
