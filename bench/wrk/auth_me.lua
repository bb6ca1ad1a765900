-- GET /v1/auth/me with a pool of access tokens, round-robin (one user per
-- request, so the rate limiter sees many keys as in production).
-- Usage: wrk ... -s bench/wrk/auth_me.lua URL -- TOKENS_FILE
local requests = {}
local next_index = 0

function init(args)
  local path = args[1] or os.getenv("TOKENS_FILE")
  for token in io.lines(path) do
    if #token > 0 then
      requests[#requests + 1] =
        wrk.format("GET", "/v1/auth/me", { ["Authorization"] = "Bearer " .. token })
    end
  end
  assert(#requests > 0, "no tokens in " .. tostring(path))
  -- Threads start at different places in the pool.
  next_index = math.random(#requests) - 1
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

local statuses = {}
function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done()
  -- wrk keeps no per-thread state here: the status counts are a hint only.
end
