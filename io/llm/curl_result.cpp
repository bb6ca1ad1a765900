#include "io/llm/curl_result.hpp"

#include "io/llm/chat_wire.hpp"

namespace haven::llm {

completion to_completion(const transfer_outcome& t) {
  // A status line that arrived decides, even when the body was cut short:
  // a 503 with a 2 MiB page is still "http_503".
  if (t.status != 0 && t.status != 200 && (t.code == CURLE_OK || t.body_too_large))
    return {false, {}, "http_" + std::to_string(t.status)};
  if (t.body_too_large)
    return {false, {}, "malformed"};
  switch (t.code) {
    case CURLE_OK:
      return parse_reply(t.body);
    case CURLE_OPERATION_TIMEDOUT:
      return {false, {}, "timeout"};
    // The provider spoke, but not HTTP we can read.
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_PARTIAL_FILE:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return {false, {}, "malformed"};
    // Everything else is the transport: refused, DNS, TLS (verification is on
    // and stays on), a connection closed before an answer, a bad URL.
    default:
      return {false, {}, "connect"};
  }
}

} // namespace haven::llm
