#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <caf/error.hpp>

#include "actors/auth/auth_state.hpp"

// The credential throttles of API.md section 3 against Redis (shared by all
// nodes), falling back to the node-local counters while Redis is down. The
// arithmetic is in throttle.hpp.

namespace haven::auth {

/// The Lua script that adds one hit to each KEYS[i] and starts its window
/// (PEXPIRE ARGV[1]) only when none runs: hits never extend a window. Returns
/// {count1, pttl1, count2, pttl2, …}.
extern const char* const window_script_name;
const char* window_script_source();

/// "haven:throttle:<what>:<id>" (ids may be addresses, user ids or names).
std::string throttle_key(std::string_view what, std::string_view id);

using allow_fn = std::function<void()>;
using refuse_fn = std::function<void(caf::error)>;

/// Register / reset: counts this attempt; refuses past `limit` per window.
void count_attempt(auth_self self, const std::string& key, uint64_t limit, allow_fn allowed,
                   refuse_fn refuse);

/// Login: refuses when the account's or the address's failures reached their
/// limits (the attempt itself is not counted).
void check_login(auth_self self, const std::string& account_key, const std::string& addr_key,
                 allow_fn allowed, refuse_fn refuse);

/// A failed login: one more failure for the account and the address.
void record_login_failure(auth_self self, const std::string& account_key,
                          const std::string& addr_key);

/// A successful login resets the account's failures (not the address's).
void reset_login_account(auth_self self, const std::string& account_key);

} // namespace haven::auth
