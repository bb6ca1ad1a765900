#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

// The Redis client actor's contract. Keys live under `haven:<purpose>:`.

namespace haven {

/// One command as its arguments, e.g. {"SET", "haven:x:1", "v", "PX", "1000"}.
struct redis_command {
  std::vector<std::string> args;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, redis_command& x) {
  return f(caf::meta::type_name("redis_command"), x.args);
}

/// A reply, flattened: `kind` says what it was; arrays keep their elements
/// (nested arrays are flattened one level into `elements`).
struct redis_reply {
  enum kind_t : uint8_t { nil_kind, status_kind, string_kind, integer_kind, array_kind, error_kind };
  uint8_t kind = nil_kind;
  std::string str;              // status, string or error text
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

/// The client: commands in one message are pipelined and answered together.
/// When Redis is down the circuit is open and calls fail at once with
/// errc::dependency_unavailable (no per-request timeout wait); a background
/// probe closes the circuit when Redis answers again.
using redis_actor = caf::typed_actor<
  caf::replies_to<std::vector<redis_command>>::with<std::vector<redis_reply>>,
  caf::replies_to<redis_script_call>::with<redis_reply>>;

} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven_redis, caf::first_custom_type_id + 300)
  CAF_ADD_TYPE_ID(haven_redis, (haven::redis_command))
  CAF_ADD_TYPE_ID(haven_redis, (haven::redis_reply))
  CAF_ADD_TYPE_ID(haven_redis, (haven::redis_script_call))
  CAF_ADD_TYPE_ID(haven_redis, (std::vector<haven::redis_command>))
  CAF_ADD_TYPE_ID(haven_redis, (std::vector<haven::redis_reply>))
CAF_END_TYPE_ID_BLOCK(haven_redis)
