#pragma once

// An OpenAI-compatible chat-completions client (POST <url> with
// {"model","messages","max_tokens"}; the answer is choices[0].message.content).
// The chat family's responder calls it; see io/llm/README.md for the threading
// contract and the error kinds.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace haven::llm {

struct chat_message {
  std::string role; // "system" | "user" | "assistant"
  std::string content;
};

/// Outcome of one request. `error` is empty when ok, else one of:
/// "timeout"    the total deadline (connect + send + wait + read) passed,
/// "busy"       max_concurrency requests were already running,
/// "http_<code>" the provider answered with a status other than 200,
/// "malformed"  200 but no usable choices[0].message.content (invalid JSON, no
///              choices, content not a string or empty, body over 1 MiB), or
///              a message that was not valid UTF-8 (never sent),
/// "connect"    refused, DNS failure, TLS failure, connection dropped before
///              an answer, unsupported URL scheme,
/// "cancelled"  the client was destroyed while the request was in flight.
struct completion {
  bool ok = false;
  std::string text;
  std::string error;
};

struct client_options {
  std::string url; // full endpoint, e.g. https://api.openai.com/v1/chat/completions
  std::string model;
  std::string api_key; // secret: sent as "Authorization: Bearer …", never logged
  std::chrono::milliseconds timeout{8000}; // whole request; values < 1 ms mean 1 ms
  size_t max_concurrency = 8;              // 0 answers every request "busy"
};

/// Thread-safe. Transfers run on one event-loop thread owned by the client
/// (libcurl multi), never on the caller's thread.
class chat_client {
 public:
  explicit chat_client(client_options);
  /// Cancels every request in flight (each `done` gets "cancelled" on the
  /// client's thread) and joins that thread. Do not call complete()
  /// concurrently with the destructor.
  ~chat_client();

  chat_client(const chat_client&) = delete;
  chat_client& operator=(const chat_client&) = delete;

  /// Returns at once. `done` runs exactly once on the client's thread; keep it
  /// short (send a message, fulfil a promise): it holds up the other transfers.
  /// When max_concurrency requests are already running,
  /// done({false, "", "busy"}) runs at once on the caller's thread.
  void complete(std::vector<chat_message> messages, std::function<void(completion)> done);

  struct loop; // the event loop (chat_client.cpp)

 private:
  std::unique_ptr<loop> loop_;
};

} // namespace haven::llm
