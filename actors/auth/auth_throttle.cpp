#include "actors/auth/auth_throttle.hpp"

#include <caf/all.hpp>

#include "messages/errors.hpp"
#include "persistence/redis/redis_key.hpp"

namespace haven::auth {

const char* const window_script_name = "haven_auth_window";
const char* const reserve_script_name = "haven_auth_reserve";
const char* const release_script_name = "haven_auth_release";

const char* window_script_source() {
  return R"lua(
local out = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  out[#out + 1] = n
  out[#out + 1] = ttl
end
return out
)lua";
}

// Check every key, then count every key, in one script: Redis runs a script
// alone, so no other attempt (on any node) sees the counters in between.
const char* reserve_script_source() {
  return R"lua(
local counts = {}
local refused = false
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', key) or '0') or 0
  local limit = tonumber(ARGV[i + 1]) or 0
  if limit > 0 and n >= limit then refused = true end
  counts[i] = n
end
local out = {refused and 0 or 1}
for i, key in ipairs(KEYS) do
  local n = counts[i]
  local ttl
  if refused then
    ttl = redis.call('PTTL', key)
  else
    n = redis.call('INCR', key)
    ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('PEXPIRE', key, ARGV[1])
      ttl = tonumber(ARGV[1])
    end
  end
  out[#out + 1] = n
  out[#out + 1] = ttl
end
return out
)lua";
}

const char* release_script_source() {
  return R"lua(
for i, key in ipairs(KEYS) do
  if ARGV[i] == 'del' then
    redis.call('DEL', key)
  else
    local n = tonumber(redis.call('GET', key) or '0') or 0
    if n > 0 then redis.call('DECR', key) end
  end
end
return 1
)lua";
}

std::string throttle_key(std::string_view what, std::string_view id) {
  std::string k{what};
  k += ':';
  k += id;
  return redis_key("throttle", k);
}

std::string login_account_key(std::string_view user_id) {
  return throttle_key("login_acct", user_id);
}

std::string login_addr_key(std::string_view addr) {
  return throttle_key("login_addr", addr);
}

namespace {

using clock = local_windows::clock;

caf::error limited(uint32_t retry_after) {
  return make_retry_error(errc::rate_limited, "too many attempts, retry later", retry_after);
}

std::string ms_text(std::chrono::milliseconds ms) {
  return std::to_string(ms.count());
}

// {count, pttl} pairs from `first` on.
bool read_pairs(const redis_reply& r, std::vector<window_count>& out, size_t first = 0) {
  if (r.kind != redis_reply::array_kind || r.elements.size() < first ||
      (r.elements.size() - first) % 2 != 0)
    return false;
  for (size_t i = first; i < r.elements.size(); i += 2) {
    auto& n = r.elements[i];
    auto& t = r.elements[i + 1];
    if (n.kind != redis_reply::integer_kind || t.kind != redis_reply::integer_kind)
      return false;
    window_count c{static_cast<uint64_t>(std::max<int64_t>(n.integer, 0)),
                   std::chrono::milliseconds(std::max<int64_t>(t.integer, 0))};
    if (c.count > 0 && c.remaining.count() == 0)
      c.remaining = throttle_window; // no TTL seen: assume a full window
    out.push_back(c);
  }
  return true;
}

// GET + PTTL replies of one key.
window_count read_counter(const redis_reply& value, const redis_reply& ttl) {
  window_count c;
  if (value.kind == redis_reply::string_kind) {
    try {
      c.count = std::stoull(value.str);
    } catch (...) {
      c.count = 0;
    }
  } else if (value.kind == redis_reply::integer_kind) {
    c.count = static_cast<uint64_t>(std::max<int64_t>(value.integer, 0));
  }
  if (ttl.kind == redis_reply::integer_kind && ttl.integer > 0)
    c.remaining = std::chrono::milliseconds(ttl.integer);
  else if (c.count > 0)
    c.remaining = throttle_window; // no TTL seen: assume a full window
  return c;
}

} // namespace

void count_attempt(auth_self self, const std::string& key, uint64_t limit, allow_fn allowed,
                   refuse_fn refuse, std::chrono::milliseconds window) {
  auto fallback = [self, key, limit, allowed, refuse] {
    auto after = self->state.local_counts.add(key, clock::now());
    if (auto s = attempt_refusal(after, limit))
      return refuse(limited(*s));
    allowed();
  };
  redis_script_call call{window_script_name, {key}, {ms_text(window)}};
  self->request(self->state.d.redis, store_timeout(self), std::move(call))
      .then(
          [limit, allowed, refuse, fallback](redis_reply& r) {
            std::vector<window_count> counts;
            if (!read_pairs(r, counts) || counts.size() != 1)
              return fallback();
            if (auto s = attempt_refusal(counts[0], limit))
              return refuse(limited(*s));
            allowed();
          },
          [fallback](caf::error&) { fallback(); });
}

void check_limit(auth_self self, const std::string& key, uint64_t limit, allow_fn allowed,
                 refuse_fn refuse) {
  auto decide = [=](window_count c) {
    if (auto s = reservation_refusal({c}, {limit}))
      return refuse(limited(*s));
    allowed();
  };
  auto fallback = [self, key, decide] { decide(self->state.local_counts.peek(key, clock::now())); };
  std::vector<redis_command> cmds{{{"GET", key}}, {{"PTTL", key}}};
  self->request(self->state.d.redis, store_timeout(self), std::move(cmds))
      .then(
          [decide, fallback](std::vector<redis_reply>& r) {
            if (r.size() != 2)
              return fallback();
            decide(read_counter(r[0], r[1]));
          },
          [fallback](caf::error&) { fallback(); });
}

void reserve_attempt(auth_self self, std::vector<std::string> keys, std::vector<uint64_t> limits,
                     allow_fn allowed, refuse_fn refuse) {
  // Redis down: the same check-then-count in this actor's turn (per node).
  auto fallback = [self, keys, limits, allowed, refuse] {
    if (auto s = self->state.local_counts.reserve(keys, limits, clock::now()))
      return refuse(limited(*s));
    allowed();
  };
  std::vector<std::string> args{ms_text(throttle_window)};
  for (auto l : limits)
    args.push_back(std::to_string(l));
  auto n = keys.size();
  redis_script_call call{reserve_script_name, std::move(keys), std::move(args)};
  self->request(self->state.d.redis, store_timeout(self), std::move(call))
      .then(
          [n, limits, allowed, refuse, fallback](redis_reply& r) {
            std::vector<window_count> counts;
            if (r.kind != redis_reply::array_kind || r.elements.empty() ||
                r.elements[0].kind != redis_reply::integer_kind || !read_pairs(r, counts, 1) ||
                counts.size() != n)
              return fallback();
            if (r.elements[0].integer == 1)
              return allowed();
            auto s = reservation_refusal(counts, limits);
            refuse(limited(s ? *s : retry_after_s(throttle_window)));
          },
          [fallback](caf::error&) { fallback(); });
}

void release_attempt(auth_self self, std::vector<std::string> reset,
                     std::vector<std::string> give_back) {
  auto now = clock::now();
  for (auto& k : reset)
    self->state.local_counts.reset(k);
  for (auto& k : give_back)
    self->state.local_counts.release(k, now);
  std::vector<std::string> keys, args;
  for (auto& k : reset) {
    keys.push_back(k);
    args.emplace_back("del");
  }
  for (auto& k : give_back) {
    keys.push_back(k);
    args.emplace_back("decr");
  }
  if (keys.empty())
    return;
  redis_script_call call{release_script_name, std::move(keys), std::move(args)};
  self->request(self->state.d.redis, store_timeout(self), std::move(call))
      .then([](redis_reply&) {}, [](caf::error&) {});
}

void record_failure(auth_self self, const std::string& key) {
  redis_script_call call{window_script_name, {key}, {ms_text(throttle_window)}};
  self->request(self->state.d.redis, store_timeout(self), std::move(call))
      .then([](redis_reply&) {},
            [self, key](caf::error&) { self->state.local_counts.add(key, clock::now()); });
}

} // namespace haven::auth
