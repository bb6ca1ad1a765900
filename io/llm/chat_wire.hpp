#pragma once

// The wire format of an OpenAI-compatible chat completion, apart from the
// transport so it can be tested without sockets.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "io/llm/chat_client.hpp"

namespace haven::llm {

/// A chat reply is a few paragraphs; 512 tokens (~400 English words) bounds
/// what a provider may bill and what the responder must moderate.
constexpr int max_reply_tokens = 512;

/// A reply body larger than this is "malformed": 512 tokens are a few KiB, so
/// 1 MiB only stops a hostile or broken provider from growing our memory.
constexpr size_t max_response_bytes = size_t{1} << 20;

/// True when every role and content is valid UTF-8 (the JSON writer requires
/// it; the edge already validated user text, this guards other callers).
bool valid_messages(const std::vector<chat_message>& messages);

/// {"model":…,"messages":[{"role":…,"content":…}…],"max_tokens":512}
std::string request_body(std::string_view model, const std::vector<chat_message>& messages);

/// Reads choices[0].message.content from a 200 body: ok with the text, or
/// "malformed" (invalid JSON, no choices, content not a string, content empty
/// or only whitespace).
completion parse_reply(std::string_view body);

} // namespace haven::llm
