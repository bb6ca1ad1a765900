#include "actors/auth/sodium_init.hpp"

#include <cstdio>
#include <cstdlib>

#include <sodium.h>

namespace haven::auth {

void ensure_sodium() {
  // A function-local static runs sodium_init() exactly once, even under races.
  static const bool ok = sodium_init() >= 0;
  if (!ok) {
    std::fputs("haven: libsodium failed to initialize\n", stderr);
    std::abort();
  }
}

} // namespace haven::auth
