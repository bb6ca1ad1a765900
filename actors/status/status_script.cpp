#include "actors/status/status_script.hpp"

#include "actors/status/status_rules.hpp"
#include "persistence/redis/redis_client.hpp"
#include "persistence/redis/redis_key.hpp"

namespace haven::status {

namespace {

// KEYS: record, outbox stream.
// ARGV: 1 user, 2 org, 3 role, 4 stage, 5 status, 6 progress ("" = absent),
// 7 has message ("1"/"0"), 8 message, 9 now (RFC 3339), 10 TTL ms,
// 11 event id, 12 node, 13 request id, 14 resource id.
// Progress when absent: completed 100, pending 0, else the stage's previous
// progress (a failure at 70 % stays at 70 %).
// The outbox entry's `stages` is every stage's status after the update, in
// API order, so the relay computes `overall` with the one C++ rule.
constexpr std::string_view script_body = R"lua(
local rec, outbox = KEYS[1], KEYS[2]
local owner = redis.call('HGET', rec, 'owner')
local org
if owner then
  org = redis.call('HGET', rec, 'org') or ''
  if owner ~= ARGV[1] and not (ARGV[3] == 'admin' and ARGV[2] ~= '' and org == ARGV[2]) then
    return {'not_found'}
  end
else
  org = ARGV[2]
  redis.call('HSET', rec, 'owner', ARGV[1], 'org', org)
end
local stage, status, progress = ARGV[4], ARGV[5], ARGV[6]
if progress == '' then
  if status == 'completed' then
    progress = '100'
  elseif status == 'pending' then
    progress = '0'
  else
    progress = redis.call('HGET', rec, stage .. ':p') or '0'
  end
end
redis.call('HSET', rec, stage .. ':s', status, stage .. ':p', progress, stage .. ':t', ARGV[9],
           'updated_at', ARGV[9])
if ARGV[7] == '1' then
  redis.call('HSET', rec, stage .. ':m', ARGV[8])
else
  redis.call('HDEL', rec, stage .. ':m')
end
redis.call('PEXPIRE', rec, ARGV[10])
local states = {}
for i, s in ipairs(STAGES) do
  states[i] = redis.call('HGET', rec, s .. ':s') or 'pending'
end
redis.call('XADD', outbox, '*', 'id', ARGV[11], 'at', ARGV[9], 'node', ARGV[12], 'org', org,
           'rid', ARGV[13], 'res', ARGV[14], 'stage', stage, 'status', status,
           'progress', progress, 'stages', table.concat(states, ','))
return {'ok', redis.call('HGETALL', rec)}
)lua";

std::string build_source() {
  std::string stages = "local STAGES = {";
  for (size_t i = 0; i < stage_names.size(); ++i) {
    if (i > 0)
      stages += ", ";
    stages.append("'").append(stage_names[i]).append("'");
  }
  stages += "}";
  return stages + std::string{script_body};
}

} // namespace

std::string record_key(std::string_view resource_id) {
  return redis_key("status", resource_id);
}

std::string outbox_key() {
  return redis_key("status-outbox", "events");
}

const std::string& update_script_source() {
  static const std::string source = build_source();
  return source;
}

void register_update_script(const redis_actor& redis) {
  register_script(redis, std::string{update_script_name}, update_script_source());
}

redis_script_call update_call(const status_update& u, const event_meta& meta) {
  redis_script_call c;
  c.script_name = std::string{update_script_name};
  c.keys = {record_key(u.resource_id), outbox_key()};
  c.args = {u.caller.user_id,
            u.caller.org_id,
            u.caller.role,
            u.stage,
            u.status,
            u.progress < 0 ? std::string{} : std::to_string(u.progress),
            u.has_message ? "1" : "0",
            u.message,
            meta.occurred_at,
            std::to_string(record_ttl.count()),
            meta.event_id,
            meta.node,
            meta.request_id,
            u.resource_id};
  return c;
}

} // namespace haven::status
