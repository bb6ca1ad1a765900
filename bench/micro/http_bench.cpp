// The per-request work of the HTTP edge without the sockets: parsing,
// routing and serializing one answer.
#include <benchmark/benchmark.h>

#include "io/http/request_parser.hpp"
#include "io/http/response.hpp"
#include "io/http/router.hpp"

using namespace haven::http;

namespace {

const std::string get_health = "GET /health HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: wrk\r\n"
                               "Accept: */*\r\nX-Request-ID: bench-1\r\n\r\n";

// Feeds `msg` and parses it as one request, once per iteration.
void parse_each_time(benchmark::State& state, const std::string& msg) {
  request_parser parser{parser_limits{}};
  request req;
  for (auto _ : state) {
    parser.feed(msg.data(), msg.size());
    auto st = parser.next(req);
    benchmark::DoNotOptimize(st);
  }
}

void parse_get(benchmark::State& state) {
  parse_each_time(state, get_health);
}
BENCHMARK(parse_get);

void parse_post_1k(benchmark::State& state) {
  std::string body(1024, 'x');
  std::string msg =
      "POST /v1/crisis/detect HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
      "Content-Length: 1024\r\n\r\n" +
      body;
  parse_each_time(state, msg);
}
BENCHMARK(parse_post_1k);

void route_lookup(benchmark::State& state) {
  router r;
  const char* routes[] = {"/health",
                          "/ready",
                          "/metrics",
                          "/v1/auth/login",
                          "/v1/auth/me",
                          "/v1/crisis/detect",
                          "/v1/crisis/events/{id}/ack",
                          "/v1/status/{resource_id}/stages/{stage}",
                          "/v1/status/{resource_id}"};
  size_t i = 0;
  for (auto p : routes)
    r.add(method::get, p, i++);
  for (auto _ : state) {
    auto a = r.match(method::get, "/v1/auth/me");
    auto b = r.match(method::get, "/v1/status/5b0c7e4e-0000-4000-8000-000000000000/stages/quality");
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
  }
}
BENCHMARK(route_lookup);

void serialize_response(benchmark::State& state) {
  std::string out;
  auto r = json_response(200, R"({"status":"healthy","version":"0.1.0"})");
  for (auto _ : state) {
    out.clear();
    serialize(r, "0b6c2a52-3c1e-4b6a-9f0e-2d7f4c1a9e11", "Mon, 23 Nov 2026 02:00:00 GMT", true,
              false, out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(serialize_response);

} // namespace
