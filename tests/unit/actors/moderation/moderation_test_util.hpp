#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "actors/moderation/lexicon_loader.hpp"

// The shipped lexicon (actors/moderation/data), found from this file's path so
// the tests need no working directory or CMake definition, loaded once.

namespace haven::moderation::test {

inline std::string data_dir() {
  std::string here = __FILE__; // .../tests/unit/actors/moderation/moderation_test_util.hpp
  auto pos = here.rfind("/tests/unit/actors/moderation/");
  if (pos == std::string::npos)
    throw std::runtime_error("cannot locate the source tree from " + here);
  return here.substr(0, pos) + "/actors/moderation/data";
}

inline std::shared_ptr<const lexicon> shipped_lexicon() {
  static const std::shared_ptr<const lexicon> lex = [] {
    auto r = load_lexicon_dir(data_dir());
    if (!r.lex)
      throw std::runtime_error("moderation lexicon: " + r.error);
    return r.lex;
  }();
  return lex;
}

} // namespace haven::moderation::test
