-- Shared by the scenarios that send one user's token per request: reads the
-- tokens file (the first script argument, or TOKENS_FILE), builds one request
-- per token with make(token, i) once, and serves them round-robin, each wrk
-- thread from a random start (so the rate limiter sees many keys).
local M = {}

function M.install(make)
  local requests = {}
  local next_index = 0

  function init(args)
    local path = args[1] or os.getenv("TOKENS_FILE")
    for token in io.lines(path) do
      if #token > 0 then
        requests[#requests + 1] = make(token, #requests + 1)
      end
    end
    assert(#requests > 0, "no tokens in " .. tostring(path))
    next_index = math.random(#requests) - 1
  end

  function request()
    next_index = next_index % #requests + 1
    return requests[next_index]
  end
end

return M
