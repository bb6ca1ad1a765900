#include "actors/auth/auth_throttle.hpp"

#include <caf/all.hpp>

#include "messages/errors.hpp"
#include "persistence/redis/redis_key.hpp"

namespace haven::auth {

const char* const window_script_name = "haven_auth_window";

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

std::string throttle_key(std::string_view what, std::string_view id) {
  std::string k{what};
  k += ':';
  k += id;
  return redis_key("throttle", k);
}

namespace {

using clock = local_windows::clock;

caf::error limited(uint32_t retry_after) {
  return make_retry_error(errc::rate_limited, "too many attempts, retry later", retry_after);
}

std::string window_ms() {
  return std::to_string(throttle_window.count());
}

// {count, pttl} pairs of the window script.
bool read_pairs(const redis_reply& r, std::vector<window_count>& out) {
  if (r.kind != redis_reply::array_kind || r.elements.size() % 2 != 0)
    return false;
  for (size_t i = 0; i < r.elements.size(); i += 2) {
    auto& n = r.elements[i];
    auto& t = r.elements[i + 1];
    if (n.kind != redis_reply::integer_kind || t.kind != redis_reply::integer_kind)
      return false;
    out.push_back({static_cast<uint64_t>(std::max<int64_t>(n.integer, 0)),
                   std::chrono::milliseconds(std::max<int64_t>(t.integer, 0))});
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
                   refuse_fn refuse) {
  auto fallback = [self, key, limit, allowed, refuse] {
    auto after = self->state.local_counts.add(key, clock::now());
    if (auto s = attempt_refusal(after, limit))
      return refuse(limited(*s));
    allowed();
  };
  redis_script_call call{window_script_name, {key}, {window_ms()}};
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

void check_login(auth_self self, const std::string& account_key, const std::string& addr_key,
                 allow_fn allowed, refuse_fn refuse) {
  auto& cfg = *self->state.d.cfg;
  uint64_t max_account = cfg.login_max_failures_account;
  uint64_t max_addr = cfg.login_max_failures_addr;
  auto decide = [=](window_count account, window_count addr) {
    if (auto s = login_refusal(account, max_account, addr, max_addr))
      return refuse(limited(*s));
    allowed();
  };
  auto fallback = [self, account_key, addr_key, decide] {
    auto now = clock::now();
    auto& local = self->state.local_counts;
    decide(local.peek(account_key, now), local.peek(addr_key, now));
  };
  std::vector<redis_command> cmds{
      {{"GET", account_key}}, {{"PTTL", account_key}}, {{"GET", addr_key}}, {{"PTTL", addr_key}}};
  self->request(self->state.d.redis, store_timeout(self), std::move(cmds))
      .then(
          [decide, fallback](std::vector<redis_reply>& r) {
            if (r.size() != 4)
              return fallback();
            decide(read_counter(r[0], r[1]), read_counter(r[2], r[3]));
          },
          [fallback](caf::error&) { fallback(); });
}

void record_login_failure(auth_self self, const std::string& account_key,
                          const std::string& addr_key) {
  redis_script_call call{window_script_name, {account_key, addr_key}, {window_ms()}};
  self->request(self->state.d.redis, store_timeout(self), std::move(call))
      .then([](redis_reply&) {},
            [self, account_key, addr_key](caf::error&) {
              auto now = clock::now();
              self->state.local_counts.add(account_key, now);
              self->state.local_counts.add(addr_key, now);
            });
}

void reset_login_account(auth_self self, const std::string& account_key) {
  self->state.local_counts.reset(account_key);
  std::vector<redis_command> cmds{{{"DEL", account_key}}};
  self->request(self->state.d.redis, store_timeout(self), std::move(cmds))
      .then([](std::vector<redis_reply>&) {}, [](caf::error&) {});
}

} // namespace haven::auth
