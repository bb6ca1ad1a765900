#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

// The vocabulary of POST /v1/safety/validate (API.md §4): the six moderation
// categories, the two directions and the three actions. Names on the wire are
// exactly the strings of to_string().

namespace haven::moderation {

enum class category : uint8_t {
  self_harm_instructions,
  violence_threat,
  harassment,
  hate,
  sexual_minors,
  pii,
};

inline constexpr size_t category_count = 6;

/// All categories in declaration order, for loops and tables.
inline constexpr std::array<category, category_count> all_categories{
    category::self_harm_instructions,
    category::violence_threat,
    category::harassment,
    category::hate,
    category::sexual_minors,
    category::pii,
};

constexpr size_t index(category c) {
  return static_cast<size_t>(c);
}

/// `input` is text from the person; `output` is text from the assistant or a
/// provider on its way to the person.
enum class direction : uint8_t { input, output };

enum class action : uint8_t { allow, redact, block };

std::string_view to_string(category c);
std::string_view to_string(direction d);
std::string_view to_string(action a);

std::optional<category> category_from_string(std::string_view s);
std::optional<direction> direction_from_string(std::string_view s);

} // namespace haven::moderation
