#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

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

/// The reservation script (M3): ARGV[1] = window in ms, ARGV[1 + i] = the
/// limit of KEYS[i] (0 = none). When every key is below its limit, adds one to
/// each (starting windows as above) and returns {1, count1, pttl1, …} (the
/// counts after); else changes nothing and returns {0, count1, pttl1, …}.
extern const char* const reserve_script_name;
const char* reserve_script_source();

/// Gives reservations back: ARGV[i] = "del" deletes KEYS[i], anything else
/// decrements it when it exists and is above 0 (the window is kept).
extern const char* const release_script_name;
const char* release_script_source();

/// "haven:throttle:<what>:<id>" (ids may be addresses, user ids or names).
std::string throttle_key(std::string_view what, std::string_view id);

using allow_fn = std::function<void()>;
using refuse_fn = std::function<void(caf::error)>;

/// Register / reset: counts this attempt; refuses past `limit` per `window`.
void count_attempt(auth_self self, const std::string& key, uint64_t limit, allow_fn allowed,
                   refuse_fn refuse, std::chrono::milliseconds window = throttle_window);

/// Refuses when `key` already reached `limit` (nothing is counted): the
/// address check that runs before any store lookup.
void check_limit(auth_self self, const std::string& key, uint64_t limit, allow_fn allowed,
                 refuse_fn refuse);

/// Reserves one attempt on each key (limits in the same order), atomically
/// across nodes: `allowed` runs only when every key was below its limit, and
/// then each was counted. A refusal counts nothing.
void reserve_attempt(auth_self self, std::vector<std::string> keys, std::vector<uint64_t> limits,
                     allow_fn allowed, refuse_fn refuse);

/// Gives reservations back: `reset` keys are deleted (a successful login
/// resets its account), `give_back` keys lose one hit.
void release_attempt(auth_self self, std::vector<std::string> reset,
                     std::vector<std::string> give_back);

/// One failure more on `key` (failed refreshes and reset confirmations).
void record_failure(auth_self self, const std::string& key);

/// The account's login counter (the user id: every way to name the account
/// shares it, so at most K passwords per account are checked per window).
std::string login_account_key(std::string_view user_id);
/// The address's failure counter (logins, refreshes, reset confirmations).
std::string login_addr_key(std::string_view addr);

} // namespace haven::auth
