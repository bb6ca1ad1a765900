-- GET /v1/auth/me with a pool of access tokens, round-robin (one user per
-- request, so the rate limiter sees many keys as in production).
-- Usage: wrk ... -s bench/wrk/auth_me.lua URL -- TOKENS_FILE
package.path = "bench/wrk/?.lua;" .. package.path
require("token_pool").install(function(token)
  return wrk.format("GET", "/v1/auth/me", { ["Authorization"] = "Bearer " .. token })
end)

