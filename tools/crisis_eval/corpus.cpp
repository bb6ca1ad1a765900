// haven_crisis_corpus: writes the crisis model's training file (fastText's
// "__label__<class> text" lines) from labelled sets (evaluation.hpp format).
// The class is the expected level; a hard negative expected none or low is
// "notme" (quotes, denials, hyperbole, discussion, past and resolved), the one
// class the model may lower a level for (model.hpp). The text is model_text's,
// the same normalisation the detector applies before scoring.
//
//   haven_crisis_corpus OUT SET...
#include <fstream>
#include <iostream>
#include <string>

#include "actors/crisis/evaluation.hpp"
#include "actors/crisis/model.hpp"

int main(int argc, char** argv) {
  using namespace haven::crisis;
  if (argc < 3) {
    std::cerr << "usage: haven_crisis_corpus OUT SET...\n";
    return 2;
  }
  std::ofstream out(argv[1], std::ios::trunc);
  std::string text;
  size_t n = 0;
  for (int i = 2; i < argc; ++i) {
    auto set = load_eval_set(argv[i]);
    if (!set.error.empty()) {
      std::cerr << "haven_crisis_corpus: " << set.error << "\n";
      return 2;
    }
    for (const auto& c : set.cases) {
      model_class k = static_cast<model_class>(static_cast<int>(c.expected) + 1);
      if (c.expected == haven::crisis::risk_level::none)
        k = model_class::none;
      if (c.hard_negative && c.expected <= haven::crisis::risk_level::low)
        k = model_class::notme;
      model_text(c.text, text);
      out << "__label__" << to_string(k) << ' ' << text << '\n';
      ++n;
    }
  }
  out.close();
  if (!out) {
    std::cerr << "haven_crisis_corpus: cannot write " << argv[1] << "\n";
    return 2;
  }
  std::cout << "haven_crisis_corpus: " << n << " messages\n";
  return 0;
}
