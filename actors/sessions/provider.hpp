#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

// The language-model slot of the responder (docs/conversations.md "The
// responder"). The session actor calls complete() and gets the answer back as
// a message to itself; an implementation runs its requests on its own threads
// and never touches actor state. The OpenAI-compatible client (io/llm) plugs
// in through app/sessions_wiring.cpp; tests plug in fakes.

namespace haven::sessions {

struct provider_message {
  std::string role; // "system" | "user" | "assistant"
  std::string content;
};

struct provider_answer {
  bool ok = false;
  std::string text;
  std::string error; // "timeout", "busy", "http_<code>", "malformed", "connect", ...
};

class provider {
 public:
  virtual ~provider() = default;
  /// Returns at once; `done` runs exactly once, on any thread (also at once
  /// on the caller's thread, e.g. when busy).
  virtual void complete(std::vector<provider_message> messages,
                        std::function<void(provider_answer)> done) = 0;
  /// The longest the provider takes before `done` runs with "timeout".
  virtual std::chrono::milliseconds timeout() const = 0;
};

} // namespace haven::sessions
