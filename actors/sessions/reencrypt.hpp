#pragma once

#include <cstdint>
#include <string>

#include "actors/sessions/data_key.hpp"

// `haven reencrypt` (docs/conversations.md "Key rotation"): rewrites every
// stored message that is not sealed under the current data key, 500 rows per
// transaction, each row only if it still has the key it was read with (a
// concurrent delete or turn wins). Runs in the command's own process, on its
// own thread, against PostgreSQL directly: never inside a serving node.

namespace haven::sessions {

struct reencrypt_report {
  uint64_t rewritten = 0;  // now under the current key
  uint64_t unopenable = 0; // no key of the ring opens them (left as they are)
  std::string error;       // empty on success; never key material or text
};

reencrypt_report reencrypt_all(const std::string& conninfo, const key_ring& ring);

} // namespace haven::sessions
