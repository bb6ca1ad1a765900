#include "persistence/redis/redis_key.hpp"

namespace haven {

std::string redis_key(std::string_view purpose, std::string_view id) {
  constexpr std::string_view prefix = "haven:";
  std::string key;
  key.reserve(prefix.size() + purpose.size() + 1 + id.size());
  key.append(prefix).append(purpose).append(1, ':').append(id);
  return key;
}

} // namespace haven
