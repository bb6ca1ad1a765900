// libFuzzer target: io/http/request_parser over raw connection bytes (one or
// more pipelined requests, any framing), fed whole, byte by byte (up to 256
// bytes), in random pieces and with lazy draining (parser_harness.hpp
// run_all_splits). Every run must give the same requests and the
// same final status; every complete request must respect the limits and its
// framing (parser_harness.cpp). Seeds: tests/fuzz/corpus/request_parser/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/parser_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  haven::fuzz::run_all_splits(input, 256);
  return 0;
}
