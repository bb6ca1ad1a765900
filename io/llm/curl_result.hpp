#pragma once

// Maps what libcurl reports about a finished transfer to a completion.

#include <curl/curl.h>

#include <string_view>

#include "io/llm/chat_client.hpp"

namespace haven::llm {

struct transfer_outcome {
  CURLcode code = CURLE_OK;
  long status = 0;             // HTTP status, 0 when none was received
  bool body_too_large = false; // the write callback stopped at max_response_bytes
  std::string_view body;
};

/// The one mapping from transport results to the error kinds of completion.
completion to_completion(const transfer_outcome& t);

} // namespace haven::llm
