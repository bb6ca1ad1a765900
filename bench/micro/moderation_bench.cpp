// The pure moderation core behind POST /v1/safety/validate: PII redaction,
// category scoring and the policy decision for a 300-byte and an 8 KiB text.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>

#include "actors/moderation/lexicon_loader.hpp"
#include "actors/moderation/moderator.hpp"

using namespace haven::moderation;

namespace {

const moderator& shared_moderator() {
  static const moderator m = [] {
    std::string here = __FILE__; // .../bench/micro/moderation_bench.cpp
    auto r =
        load_lexicon_dir(here.substr(0, here.rfind("/bench/micro/")) + "/actors/moderation/data");
    if (!r.lex)
      throw std::runtime_error(r.error);
    return moderator{r.lex};
  }();
  return m;
}

// A typical message: some distress, an idiom, a phone number, no block.
std::string message_300() {
  std::string s = "I can't sleep again. Work is killing me and my boss said I'm useless. "
                  "Sometimes I feel like nobody would notice if I disappeared, you know? "
                  "My sister told me to call her on 0712 345 678 but I don't want to be a "
                  "burden. Mimi nimechoka sana, sijui nifanye nini. Can we talk for a bit "
                  "tonight please?";
  s.resize(300, ' ');
  return s;
}

std::string message_8k() {
  std::string s;
  while (s.size() < 8 * 1024)
    s += message_300();
  s.resize(8 * 1024);
  return s;
}

void validate_300b(benchmark::State& state) {
  const auto& m = shared_moderator();
  const std::string text = message_300();
  for (auto _ : state) {
    auto v = m.validate(text, direction::input, "en");
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(validate_300b);

void validate_8k(benchmark::State& state) {
  const auto& m = shared_moderator();
  const std::string text = message_8k();
  for (auto _ : state) {
    auto v = m.validate(text, direction::output, "sw");
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(validate_8k);

void redact_pii_300b(benchmark::State& state) {
  const std::string text = message_300();
  for (auto _ : state) {
    auto r = redact_pii(text);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(redact_pii_300b);

void load_lexicon(benchmark::State& state) {
  std::string here = __FILE__;
  const std::string dir = here.substr(0, here.rfind("/bench/micro/")) + "/actors/moderation/data";
  for (auto _ : state) {
    auto r = load_lexicon_dir(dir);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(load_lexicon)->Unit(benchmark::kMillisecond);

} // namespace
