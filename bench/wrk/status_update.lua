-- PUT /v1/status/{resource_id}/stages/{stage} (API.md section 7) with a pool
-- of access tokens, round-robin: each user writes its own resource (so every
-- request after the first is an owner's update, one Lua script call in
-- Redis, one outbox entry relayed to NATS), stages and statuses rotating.
-- Usage: wrk ... -s bench/wrk/status_update.lua URL -- TOKENS_FILE
local stages = { "ingestion", "quality", "taxonomy", "graph", "embedding" }
local statuses = { "processing", "completed", "pending", "processing" }
package.path = "bench/wrk/?.lua;" .. package.path
require("token_pool").install(function(token, i)
  local body = '{"status":"' .. statuses[i % #statuses + 1] .. '","progress":' .. (i % 101)
    .. ',"message":"bench step ' .. i .. '"}'
  return wrk.format("PUT", "/v1/status/bench-" .. i .. "/stages/" .. stages[i % #stages + 1],
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end)
