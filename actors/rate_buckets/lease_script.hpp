#pragma once

#include <cstdint>
#include <string_view>

// The cluster budget of one key lives in Redis as a GCRA theoretical arrival
// time (TAT, ms on Redis's own clock: one clock for all nodes). One atomic
// Lua script leases tokens from it, gives unused ones back, and charges what a
// node admitted on its own while Redis was away. `apply_lease` is the same
// arithmetic in C++, so the unit tests pin what the script does.

namespace haven::rate {

/// Name under which the script is registered with the Redis client.
constexpr std::string_view lease_script_name = "rate_lease";

/// KEYS[1] = bucket key; ARGV = interval_ms, window_ms, want, charge.
/// Returns {granted, tat_ms (as text: Lua numbers are doubles), redis_now_ms}.
constexpr std::string_view lease_script_source = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local charge = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
if charge > 0 then tat = math.min(tat + charge * interval, now + window) end
local granted = 0
if want < 0 then
  tat = math.max(now, tat + want * interval)
elseif want > 0 then
  local free = math.floor((window - (tat - now)) / interval + 1e-9)
  if free > 0 then
    granted = math.min(want, free)
    tat = tat + granted * interval
  end
end
if tat > now then
  redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
else
  redis.call('DEL', KEYS[1])
end
return {granted, string.format('%.3f', tat), now}
)lua";

struct lease_result {
  int64_t granted = 0;
  double tat_ms = 0;
};

/// The script's arithmetic: `tat` is the stored TAT (0 when the key is absent).
inline lease_result apply_lease(double tat, int64_t now_ms, double interval_ms, int64_t window_ms,
                                int64_t want, int64_t charge) {
  auto now = static_cast<double>(now_ms);
  auto window = static_cast<double>(window_ms);
  if (tat < now)
    tat = now;
  if (charge > 0) {
    tat += static_cast<double>(charge) * interval_ms;
    if (tat > now + window)
      tat = now + window;
  }
  lease_result r;
  if (want < 0) {
    tat += static_cast<double>(want) * interval_ms;
    if (tat < now)
      tat = now;
  } else if (want > 0) {
    // floor(x + 1e-9): same epsilon as the Lua side and as gcra.cpp.
    auto free = static_cast<int64_t>((window - (tat - now)) / interval_ms + 1e-9);
    if ((window - (tat - now)) / interval_ms + 1e-9 < 0)
      free = 0;
    if (free > 0) {
      r.granted = want < free ? want : free;
      tat += static_cast<double>(r.granted) * interval_ms;
    }
  }
  r.tat_ms = tat;
  return r;
}

} // namespace haven::rate
