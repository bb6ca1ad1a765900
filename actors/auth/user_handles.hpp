#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// Server-generated login names for every user (API.md section 3), e.g.
// "calm-otter-4821": an adjective, an animal and four digits, about 40 million
// combinations. Uniqueness is the database's job (users_handle_key); the auth
// actor draws again on a collision.

namespace haven::auth {

/// Word counts of the two lists (for tests and callers drawing numbers).
uint32_t handle_adjective_count();
uint32_t handle_animal_count();

/// The handle for the given draws (each taken modulo its range; the number
/// modulo 9000, shown as 1000..9999). Pure, for tests.
std::string make_handle(uint32_t adjective, uint32_t animal, uint32_t number);

/// A handle from libsodium's CSPRNG.
std::string random_handle();

/// What make_handle produces: lower-case words, '-', four digits.
bool looks_like_handle(std::string_view s);

/// A random UUID v4 (lower-case, hyphenated) from the CSPRNG: user, org and
/// session ids (base/uuid.hpp random_uuid).
std::string new_uuid();

} // namespace haven::auth
