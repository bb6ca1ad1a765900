#include "actors/crisis/session_sync.hpp"

#include "actors/crisis/trajectory_codec.hpp"
#include "persistence/redis/redis_key.hpp"

namespace haven::crisis {

std::string session_key(std::string_view user_id, std::string_view session_id) {
  if (user_id.empty() || user_id.find(':') != std::string_view::npos)
    return {};
  std::string id{user_id};
  id += ':';
  id += session_id;
  return redis_key("crisis_session", id);
}

cas_reply read_cas_reply(const redis_reply& r) {
  cas_reply out;
  if (r.kind != redis_reply::array_kind || r.elements.size() != 3)
    return out;
  auto& flag = r.elements[0];
  auto& cur = r.elements[1];
  auto& ev = r.elements[2];
  if (flag.kind != redis_reply::integer_kind || cur.kind != redis_reply::string_kind ||
      ev.kind != redis_reply::string_kind || (flag.integer != 0 && flag.integer != 1))
    return out;
  out.kind = flag.integer == 1 ? cas_reply::written : cas_reply::conflict;
  out.current = cur.str;
  out.event_id = ev.str;
  return out;
}

trajectory base_trajectory(std::string_view stored, const trajectory* local,
                           const trajectory_config& cfg) {
  if (stored.empty())
    return local != nullptr ? *local : trajectory{cfg};
  if (auto s = decode_trajectory(stored))
    return trajectory{*s, cfg};
  return trajectory{cfg};
}

} // namespace haven::crisis
