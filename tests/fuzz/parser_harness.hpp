#pragma once

// Shared by the request parser fuzz targets: runs one request_parser over an
// input cut into pieces by a plan, checks the invariants that hold for every
// answer it gives, and records a transcript so runs over the same bytes with
// different cuts can be compared (the parser must not care how bytes arrive).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/http/request_parser.hpp"

namespace haven::fuzz {

/// Small limits so inputs of a few KiB reach them: 1 KiB of header, 512 body
/// bytes, 2 KiB for POST /upload (body_limit_for), "no override" for /zero.
http::parser_limits fuzz_limits();
/// The body limit fuzz_limits() gives a request with this head.
size_t body_limit_of(const http::request& head);

/// What a parser said about a whole input.
struct transcript {
  std::vector<std::string> requests; // every complete request, encoded
  std::vector<std::string> bodies;   // their bodies, in order
  http::parse_status last = http::parse_status::need_more;
  http::parse_error error = http::parse_error::none;
  bool chunked_refused = false; // the refused or unfinished request is chunked (its header says so)
};

/// How the input reaches the parser: `piece(i)` is the size of the i-th piece
/// (at least 1); next() is called until it stops returning complete after every
/// `drain_every`-th piece and after the last one.
struct split_plan {
  enum kind_t { whole, bytewise, random } kind = whole;
  uint64_t seed = 0;
  size_t max_piece = 1; // random: pieces of 1..max_piece bytes
  size_t drain_every = 1;
};

/// Feeds `input` by `plan`, asserting the per-answer invariants (body within its
/// limit, Content-Length honoured, error sticky, ...); aborts on a violation.
transcript run(std::string_view input, const split_plan& plan);

/// Aborts with both transcripts printed when they differ.
void expect_same(const transcript& expected, const transcript& actual, std::string_view input,
                 const char* what);

/// FNV-1a of the input, the seed of its random splits (deterministic per input).
uint64_t hash_of(std::string_view input);

/// Runs `input` whole, byte by byte (when at most `bytewise_max` bytes), in
/// random pieces of 1..16 bytes and in one more plan the input's hash picks
/// (pieces of 1..600, or of 1..64 with next() called after every 4th); all must
/// agree with the whole run, which is returned.
transcript run_all_splits(std::string_view input, size_t bytewise_max);

} // namespace haven::fuzz
