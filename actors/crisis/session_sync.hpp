#pragma once

#include <string>
#include <string_view>

#include "actors/crisis/trajectory.hpp"
#include "messages/redis.hpp"

// The cluster-wide copy of a session's trajectory (docs/safety.md "Session
// trajectory"): pure pieces of the crisis actor's Redis round trip, kept apart
// so they are unit-tested without Redis or actors.
//
// One Redis hash per (user, session), haven:crisis_session:<user id>:<session
// id>, field `t` = the trajectory (trajectory_codec.hpp), field `e` = the
// session's last crisis event id. Each message is one compare-and-set script
// call: the node sends the value it believes is stored (its own copy's text,
// or "" for none) and the trajectory after this message; Redis stores it only
// when the belief was right, else answers with what is stored and the node
// applies the message to that and tries again. Two messages of one session on
// two nodes at once are thus both kept, in Redis's order; nothing is lost.

namespace haven::crisis {

/// Name under which the script is registered with the Redis client.
constexpr std::string_view session_script_name = "crisis_session_cas";

/// KEYS[1] = the session hash; ARGV = expected `t` ("" = none), new `t`, TTL ms.
/// Returns {1, "", e} when written (and the TTL refreshed), {0, current t, e}
/// when the expectation was wrong (nothing written).
constexpr std::string_view session_script_source = R"lua(
local v = redis.call('HMGET', KEYS[1], 't', 'e')
local cur = v[1] or ''
local ev = v[2] or ''
if cur ~= ARGV[1] then
  return {0, cur, ev}
end
redis.call('HSET', KEYS[1], 't', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, '', ev}
)lua";

/// The Redis key of a session: user first, so one user's session id can never
/// name another user's trajectory. Empty (use the node-local copy only) when
/// the user id could make two keys meet (it holds ':'; user ids are UUIDs).
std::string session_key(std::string_view user_id, std::string_view session_id);

/// What the script answered.
struct cas_reply {
  enum kind_t { written, conflict, invalid } kind = invalid;
  std::string current;  // conflict: the stored trajectory text ("" = none)
  std::string event_id; // the session's stored event id ("" = none)
};

/// Reads the script's reply; anything else (an error reply, another shape)
/// is `invalid`, which the actor treats like Redis being unavailable.
cas_reply read_cas_reply(const redis_reply& r);

/// The trajectory to apply a message to after a conflict: the stored one; for
/// none stored, the node's own copy `local` (Redis lost it: restart, flush)
/// or a fresh one; for an unreadable or unknown-version text, a fresh one.
trajectory base_trajectory(std::string_view stored, const trajectory* local,
                           const trajectory_config& cfg);

} // namespace haven::crisis
