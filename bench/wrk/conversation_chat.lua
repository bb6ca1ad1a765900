-- POST /v1/conversation/chat without a session_id (each request starts a new
-- session: one session row and two sealed message rows in one statement),
-- with a pool of access tokens, round-robin. Calm and distressed texts that
-- do not escalate (an escalation also writes a crisis event).
-- Usage: wrk ... -s bench/wrk/conversation_chat.lua URL -- TOKENS_FILE
local texts = {
  "I have been feeling really low for the past few weeks and I can't sleep well. "
    .. "My friends say I should talk to someone but I don't know where to start.",
  "Work has been stressful and my boss keeps asking for reports at the last minute. "
    .. "How do I deal with stress without taking it out on the people I love?",
  "Nimechoka sana na kazi hii, na sijui nifanye nini. Leo nimekaa peke yangu "
    .. "nikifikiria maisha yangu na kila kitu kinaonekana kigumu.",
}
package.path = "bench/wrk/?.lua;" .. package.path
require("token_pool").install(function(token, i)
  local body = '{"message":"' .. texts[i % #texts + 1] .. '","locale":"en"}'
  return wrk.format("POST", "/v1/conversation/chat",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end)
