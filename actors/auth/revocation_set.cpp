#include "actors/auth/revocation_set.hpp"

#include <algorithm>

namespace haven::auth {

void revocation_set::add(const revocation& r, int64_t now) {
  if (r.until <= now || r.id.empty())
    return;
  map* m = r.kind == "jti" ? &jti_ : r.kind == "sid" ? &sid_ : nullptr;
  if (m == nullptr)
    return;
  auto& until = (*m)[r.id];
  until = std::max(until, r.until);
  // Prune once per ~1024 additions: keeps the set at the live entries
  // without scanning it on every revoke.
  if (++adds_since_prune_ >= 1024) {
    adds_since_prune_ = 0;
    prune(now);
  }
}

void revocation_set::add(const std::vector<revocation>& list, int64_t now) {
  for (auto& r : list)
    add(r, now);
}

bool revocation_set::live(const map& m, const std::string& key, int64_t now) {
  if (m.empty())
    return false;
  auto i = m.find(key);
  return i != m.end() && i->second > now;
}

bool revocation_set::revoked(const std::string& jti, const std::string& sid, int64_t now) const {
  return live(jti_, jti, now) || live(sid_, sid, now);
}

void revocation_set::prune(int64_t now) {
  for (auto* m : {&jti_, &sid_})
    for (auto i = m->begin(); i != m->end();)
      i = i->second <= now ? m->erase(i) : std::next(i);
}

} // namespace haven::auth
