// Crisis scoring (actors/crisis/scorer.hpp) on a 300-byte chat message and an
// 8 KiB message (the API maximum), rules and learned model together unless
// HAVEN_CRISIS_MODEL=off. Target: < 10 us for 300 bytes.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "actors/crisis/lexicon_loader.hpp"
#include "actors/crisis/model.hpp"
#include "actors/crisis/scorer.hpp"

using namespace haven::crisis;

namespace {

const lexicon_set& lexicons() {
  static const auto lex = [] {
    // A tool, not the node: it reads the setting from the environment itself.
    const char* model = std::getenv("HAVEN_CRISIS_MODEL");
    auto r = load_lexicons(find_data_dir(), {find_model_file(model ? model : ""), {}});
    if (!r.lexicons) {
      std::cerr << "crisis_bench: " << r.error << "\n";
      std::abort();
    }
    return r.lexicons;
  }();
  return *lex;
}

// About 300 bytes of an ordinary distressed message: mixed signals, a negation,
// an idiom, no crisis vocabulary in most words (the common case).
const std::string msg_300 =
    "Honestly this week has been a lot. Work is killing me and my exams start on Monday, "
    "I'm not sleeping well and I feel so overwhelmed. I'm not suicidal or anything, I just "
    "feel like nothing I do is good enough and sometimes I wish I could disappear for a while. "
    "Can we talk about ways to cope tonight?";

std::string msg_8k() {
  const std::string paragraphs[] = {
      msg_300,
      " Nimechoka sana na kazi, lakini niko sawa tu. Rafiki yangu alisema tutaenda Mombasa "
      "wikendi. ",
      " I keep thinking about my grandmother, she passed away last year and I miss her so much. ",
      " The article we read in class discussed suicide prevention and warning signs among "
      "students. ",
  };
  std::string out;
  for (size_t i = 0; out.size() < 8192; ++i)
    out += paragraphs[i % 4];
  out.resize(8192);
  return out;
}

void crisis_score_300b(benchmark::State& state) {
  const lexicon_set& lex = lexicons();
  for (auto _ : state) {
    assessment a = score(lex, msg_300, "en");
    benchmark::DoNotOptimize(a);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(msg_300.size()));
}
BENCHMARK(crisis_score_300b);

void crisis_score_8kib(benchmark::State& state) {
  const lexicon_set& lex = lexicons();
  const std::string text = msg_8k();
  for (auto _ : state) {
    assessment a = score(lex, text, "en");
    benchmark::DoNotOptimize(a);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(crisis_score_8kib);

void crisis_score_critical(benchmark::State& state) {
  const lexicon_set& lex = lexicons();
  const std::string text =
      "I can't do this anymore. I took all my pills an hour ago, thank you for "
      "everything, goodbye forever";
  for (auto _ : state) {
    assessment a = score(lex, text, "en");
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(crisis_score_critical);

// The learned second opinion alone (model.hpp; part of crisis_score_* when the
// model is on, the default): HAVEN_CRISIS_MODEL=off skips it.
void crisis_model_300b(benchmark::State& state) {
  const crisis_model* m = lexicons().model();
  if (!m) {
    state.SkipWithError("no crisis model (HAVEN_CRISIS_MODEL=off)");
    return;
  }
  for (auto _ : state) {
    model_scores p = m->predict(msg_300);
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(crisis_model_300b);

void crisis_load_lexicons(benchmark::State& state) {
  std::string dir = find_data_dir();
  for (auto _ : state) {
    auto r = load_lexicons(dir);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(crisis_load_lexicons)->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace
