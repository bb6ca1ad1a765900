#include "actors/auth/user_handles.hpp"

#include <array>

#include <sodium.h>

#include "actors/auth/sodium_init.hpp"
#include "base/uuid.hpp"

namespace haven::auth {

namespace {

// Gentle words on purpose: people in crisis see their handle.
constexpr std::array<const char*, 64> adjectives = {
    "calm",    "brave",    "kind",   "gentle",  "bright", "quiet",   "warm",     "steady",
    "hopeful", "patient",  "clever", "curious", "golden", "silver",  "sunny",    "misty",
    "mellow",  "cheerful", "humble", "honest",  "lively", "lucky",   "merry",    "noble",
    "proud",   "serene",   "swift",  "tender",  "wise",   "witty",   "bold",     "cosy",
    "daring",  "eager",    "fair",   "fond",    "free",   "glad",    "grand",    "jolly",
    "keen",    "light",    "loyal",  "mild",    "neat",   "nimble",  "peaceful", "plucky",
    "polite",  "quick",    "rosy",   "sincere", "smart",  "soft",    "spry",     "still",
    "sweet",   "tidy",     "true",   "upbeat",  "vivid",  "willing", "young",    "zesty"};

constexpr std::array<const char*, 64> animals = {
    "otter",   "heron",  "badger", "falcon", "panda",    "koala",    "lynx",  "dolphin",
    "sparrow", "robin",  "fox",    "owl",    "hare",     "deer",     "seal",  "swan",
    "wren",    "finch",  "beaver", "bison",  "camel",    "crane",    "dove",  "eagle",
    "gecko",   "goose",  "hawk",   "ibis",   "jaguar",   "kiwi",     "lark",  "lemur",
    "llama",   "marten", "mole",   "moose",  "newt",     "ocelot",   "orca",  "osprey",
    "puffin",  "quail",  "raven",  "salmon", "shrew",    "stork",    "tapir", "tiger",
    "toucan",  "turtle", "walrus", "whale",  "wombat",   "yak",      "zebra", "bear",
    "lion",    "mink",   "pony",   "rabbit", "squirrel", "starling", "tern",  "vole"};

} // namespace

uint32_t handle_adjective_count() {
  return static_cast<uint32_t>(adjectives.size());
}
uint32_t handle_animal_count() {
  return static_cast<uint32_t>(animals.size());
}

std::string make_handle(uint32_t adjective, uint32_t animal, uint32_t number) {
  std::string out = adjectives[adjective % adjectives.size()];
  out += '-';
  out += animals[animal % animals.size()];
  out += '-';
  out += std::to_string(1000 + number % 9000);
  return out;
}

std::string random_handle() {
  ensure_sodium();
  return make_handle(randombytes_uniform(handle_adjective_count()),
                     randombytes_uniform(handle_animal_count()), randombytes_uniform(9000));
}

bool looks_like_handle(std::string_view s) {
  auto first = s.find('-');
  auto last = s.rfind('-');
  if (first == std::string_view::npos || first == last || first == 0 || last + 5 != s.size())
    return false;
  for (size_t i = 0; i < last; ++i) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c == '-' && (i == first))))
      return false;
  }
  for (size_t i = last + 1; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return s[last + 1] != '0';
}

std::string new_uuid() {
  return random_uuid();
}

} // namespace haven::auth
