#pragma once

#include <string>
#include <string_view>

#include "messages/redis.hpp"
#include "messages/status.hpp"

// Where processing status lives in Redis and the one script that changes it.
//
// A record is the hash `haven:status:<resource_id>`: `owner`, `org` (the
// owner's organization at the first write, "" for none), `updated_at`, and
// per written stage `<stage>:s` (status), `<stage>:p` (progress), `<stage>:t`
// (updated_at) and `<stage>:m` (message, absent when none). TTL 24 h, set
// again by every update.
//
// The update script does in one atomic step what must not interleave across
// nodes: claim the record for the first writer (HSET owner when absent), or
// check that the caller may write it; apply the stage; refresh the TTL; and
// append the status.updated event to the outbox stream
// `haven:status-outbox:events` (the relay moves it to NATS). So an update is
// committed exactly when its event is: never one without the other.

namespace haven::status {

inline constexpr std::string_view update_script_name = "status_update";

/// The consumer group of the relays of every node on the outbox stream.
inline constexpr std::string_view relay_group = "haven-status-relay";

std::string record_key(std::string_view resource_id);
std::string outbox_key();

/// The Lua source of the update script.
const std::string& update_script_source();

/// Registers the update script with the Redis client (once per node).
void register_update_script(const redis_actor& redis);

/// What one update event carries besides the change itself.
struct event_meta {
  std::string event_id, occurred_at, node, request_id;
};

/// The script call for `u` at `meta.occurred_at`. Its reply is
/// {"ok", HGETALL of the record after the update} or {"not_found"}.
redis_script_call update_call(const status_update& u, const event_meta& meta);

} // namespace haven::status
