-- POST /v1/auth/login with one account's right password, over and over: every
-- request costs one Argon2id verification (the login storm of issue 4).
-- Usage: wrk ... -s bench/wrk/login.lua URL -- EMAIL
local body

function init(args)
  local email = args[1] or os.getenv("LOGIN_EMAIL")
  assert(email, "usage: -- EMAIL")
  body = '{"email":"' .. email .. '","password":"correct horse battery"}'
end

function request()
  return wrk.format("POST", "/v1/auth/login", { ["Content-Type"] = "application/json" }, body)
end
