#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "messages/type_ids.hpp"

// The Redis client actor's contract. Keys live under `haven:<purpose>:`
// (persistence/redis/redis_key.hpp); everything short-lived is written with a
// TTL (PX/EX). Implemented by persistence/redis/redis_client.hpp.

namespace haven {

/// One command as its arguments, e.g. {"SET", "haven:x:1", "v", "PX", "1000"}.
struct redis_command {
  std::vector<std::string> args;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, redis_command& x) {
  return f(caf::meta::type_name("redis_command"), x.args);
}

/// A reply: `kind` says what it was. Arrays keep their elements in order;
/// a nested array is an element of kind array with its own `elements`.
/// A Redis error reply (WRONGTYPE, NOSCRIPT, a Lua error) is kind error with
/// the text in `str`: a value, not a failed request.
struct redis_reply {
  enum kind_t : uint8_t {
    nil_kind,
    status_kind,
    string_kind,
    integer_kind,
    array_kind,
    error_kind
  };
  uint8_t kind = nil_kind;
  std::string str; // status, string or error text
  int64_t integer = 0;
  std::vector<redis_reply> elements;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, redis_reply& x) {
  return f(caf::meta::type_name("redis_reply"), x.kind, x.str, x.integer, x.elements);
}

/// A Lua script registered once by name; run with EVALSHA, falling back to
/// EVAL (and re-loading) when Redis lost its script cache.
struct redis_script_call {
  std::string script_name;
  std::vector<std::string> keys;
  std::vector<std::string> args;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, redis_script_call& x) {
  return f(caf::meta::type_name("redis_script_call"), x.script_name, x.keys, x.args);
}

/// Registers (or replaces) a Lua script under a name for redis_script_call.
/// It is loaded with SCRIPT LOAD once per connection, on first use.
struct redis_script {
  std::string name;
  std::string source;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, redis_script& x) {
  return f(caf::meta::type_name("redis_script"), x.name, x.source);
}

/// The client: commands in one message are pipelined and answered together,
/// one reply per command, in order (order across messages is not kept).
/// When Redis is down the circuit is open and calls fail at once with
/// errc::dependency_unavailable (no per-request timeout wait); a background
/// probe closes the circuit when Redis answers again. On that error the
/// commands may or may not have run: prefer idempotent commands or scripts.
/// Too many requests in flight: errc::overloaded.
/// `status_atom` answers whether the circuit is open (true = Redis is
/// considered down), for health and rate-limit code; it costs no Redis call.
using redis_actor =
    caf::typed_actor<caf::replies_to<std::vector<redis_command>>::with<std::vector<redis_reply>>,
                     caf::replies_to<redis_script_call>::with<redis_reply>,
                     caf::reacts_to<redis_script>, caf::replies_to<status_atom>::with<bool>>;

} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven_redis, caf::first_custom_type_id + 300)
CAF_ADD_TYPE_ID(haven_redis, (haven::redis_command))
CAF_ADD_TYPE_ID(haven_redis, (haven::redis_reply))
CAF_ADD_TYPE_ID(haven_redis, (haven::redis_script_call))
CAF_ADD_TYPE_ID(haven_redis, (std::vector<haven::redis_command>))
CAF_ADD_TYPE_ID(haven_redis, (std::vector<haven::redis_reply>))
CAF_ADD_TYPE_ID(haven_redis, (haven::redis_script))
CAF_END_TYPE_ID_BLOCK(haven_redis)
