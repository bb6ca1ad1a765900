#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "actors/crisis/lexicon_loader.hpp"
#include "actors/crisis/scorer.hpp"

// Shared by the crisis tests: where the repository is, and the shipped
// lexicons loaded once (loading compiles ~80k phrases; every test reuses it),
// without the learned second opinion: these tests pin the rules.
namespace haven::crisis::test {

/// The repository root: this file is tests/unit/actors/crisis/crisis_test_util.hpp.
inline std::string repo_root() {
#ifdef HAVEN_SOURCE_DIR
  return HAVEN_SOURCE_DIR;
#else
  std::string here = __FILE__;
  for (int i = 0; i < 5; ++i)
    here = here.substr(0, here.rfind('/'));
  return here;
#endif
}

inline std::string data_dir() {
  return repo_root() + "/actors/crisis/data";
}

inline const lexicon_set& lexicons() {
  static const std::shared_ptr<const lexicon_set> lex = [] {
    auto r = load_lexicons(data_dir(), model_options{}); // the rules alone: model_test.cpp
    if (!r.lexicons)
      ADD_FAILURE() << "loading the crisis lexicons: " << r.error;
    return r.lexicons;
  }();
  return *lex;
}

inline risk_level level_of(std::string_view text) {
  return score(lexicons(), text).level;
}

} // namespace haven::crisis::test
