// The Argon2id cost of one login (a verify with the default parameters): the
// "hash time" that bench/run-login-storm compares login throughput with.
#include <benchmark/benchmark.h>

#include "actors/auth/passwords.hpp"

namespace {

using namespace haven::auth;

void argon2id_verify_default(benchmark::State& state) {
  const argon_params params{};
  const auto encoded = hash_password("correct horse battery", params);
  if (!encoded) {
    state.SkipWithError("hashing failed");
    return;
  }
  for (auto _ : state)
    benchmark::DoNotOptimize(verify_password(*encoded, "correct horse battery"));
}
BENCHMARK(argon2id_verify_default)->Unit(benchmark::kMillisecond)->MinTime(2.0);

} // namespace
