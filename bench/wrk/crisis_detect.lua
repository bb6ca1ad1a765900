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
local requests = {}
local next_index = 0

function init(args)
  local path = args[1] or os.getenv("TOKENS_FILE")
  local i = 0
  for token in io.lines(path) do
    if #token > 0 then
      i = i + 1
      local body = '{"text":"' .. texts[i % #texts + 1] .. '","locale":"en"}'
      requests[#requests + 1] = wrk.format("POST", "/v1/crisis/detect",
        { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
    end
  end
  assert(#requests > 0, "no tokens in " .. tostring(path))
  next_index = math.random(#requests) - 1
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
