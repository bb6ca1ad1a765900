-- POST /v1/crisis/detect with a ~300-byte message and a pool of access tokens,
-- round-robin. Messages rotate through calm, distressed and idiomatic texts so
-- the scorer does representative work (none of them escalates: an escalation
-- writes to PostgreSQL, which is not what this scenario measures).
-- Usage: wrk ... -s bench/wrk/crisis_detect.lua URL -- TOKENS_FILE
local texts = {
  "I have been feeling really low for the past few weeks, work is piling up and I can't sleep well. "
    .. "My friends say I should talk to someone but I don't know where to start. Some days it feels "
    .. "like nothing will ever get better, and I'm tired of pretending I'm fine in front of my family.",
  "This traffic is killing me every single morning, and my boss keeps asking for reports at the last "
    .. "minute. I could kill for a coffee right now. Anyway, I wanted to ask how to deal with stress "
    .. "at work without taking it out on the people I love. Any tips for a better routine at night?",
  "Nimechoka sana na kazi hii, na sijui nifanye nini. Watu wananiambia niongee na mtu lakini "
    .. "naogopa. Leo nimekaa peke yangu nikifikiria maisha yangu na kila kitu kinaonekana kigumu. "
    .. "I just need someone to listen for a bit, niko down lakini nitajaribu kuendelea tu.",
}
package.path = "bench/wrk/?.lua;" .. package.path
require("token_pool").install(function(token, i)
  local body = '{"text":"' .. texts[i % #texts + 1] .. '","locale":"en"}'
  return wrk.format("POST", "/v1/crisis/detect",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end)
