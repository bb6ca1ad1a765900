// One access-log line formatted into the edge's batch (base/log/access_log.*),
// with the line writer behind it writing to /dev/null: the cost the access log
// adds to every request at production defaults.
#include <fcntl.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include "base/log/access_log.hpp"
#include "base/log/log.hpp"

namespace {

void access_log_line_json(benchmark::State& state) {
  haven::log::options opts;
  opts.level = "info";
  opts.json = true;
  opts.node_id = "bench-node";
  haven::log::init_to_file(opts, "/dev/null");
  {
    haven::log::access_log log;
    for (auto _ : state)
      log.write(
          {"0f8fad5b-d9cb-469f-a165-70867728950e", "GET", "/v1/auth/me", 200, 0.153, "127.0.0.1"});
  }
  haven::log::shutdown();
}
BENCHMARK(access_log_line_json);

} // namespace
