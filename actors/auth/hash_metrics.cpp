#include "actors/auth/hash_metrics.hpp"

#include <ctime>

#include "io/metrics/http_metrics.hpp"

namespace haven::auth {

uint64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

void hash_metrics::render(std::string& out) const {
  using metrics::append_header;
  using metrics::append_sample;
  auto load = [](const std::atomic<uint64_t>& v) {
    return static_cast<double>(v.load(std::memory_order_relaxed));
  };
  append_header(out, "haven_password_hashes_total", "counter",
                "Argon2id operations of the hashing pool, by kind.");
  append_sample(out, "haven_password_hashes_total", "kind=\"hash\"", load(hashes));
  append_sample(out, "haven_password_hashes_total", "kind=\"verify\"", load(verifies));
  append_header(out, "haven_password_hash_cpu_seconds_total", "counter",
                "CPU time of the hashing threads spent in Argon2id.");
  append_sample(out, "haven_password_hash_cpu_seconds_total", "", load(cpu_ns) / 1e9);
  append_header(out, "haven_password_hash_seconds_total", "counter",
                "Wall time of Argon2id operations (includes preemption).");
  append_sample(out, "haven_password_hash_seconds_total", "", load(wall_ns) / 1e9);
  append_header(out, "haven_password_hash_refused_total", "counter",
                "Hashing jobs answered overloaded because the queue was full.");
  append_sample(out, "haven_password_hash_refused_total", "", load(refused));
}

} // namespace haven::auth
