#include "io/llm/chat_wire.hpp"

#include <simdjson.h>

#include "base/json/json_writer.hpp"

namespace haven::llm {

namespace {

completion malformed() {
  return {false, {}, "malformed"};
}

bool only_whitespace(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

} // namespace

bool valid_messages(const std::vector<chat_message>& messages) {
  for (auto& m : messages)
    if (!simdjson::validate_utf8(m.role.data(), m.role.size()) ||
        !simdjson::validate_utf8(m.content.data(), m.content.size()))
      return false;
  return true;
}

std::string request_body(std::string_view model, const std::vector<chat_message>& messages) {
  json::writer w;
  w.begin_object().field("model", model).key("messages").begin_array();
  for (auto& m : messages)
    w.begin_object().field("role", m.role).field("content", m.content).end_object();
  w.end_array().field("max_tokens", max_reply_tokens).end_object();
  return std::move(w).str();
}

completion parse_reply(std::string_view body) {
  if (body.size() > max_response_bytes)
    return malformed();
  // One parser per thread: the client's event loop is the only caller in
  // production, so its buffers are reused across replies.
  thread_local simdjson::dom::parser parser{max_response_bytes};
  simdjson::padded_string padded{body};
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS)
    return malformed();
  simdjson::dom::array choices;
  if (root["choices"].get_array().get(choices) != simdjson::SUCCESS)
    return malformed();
  simdjson::dom::element first;
  if (choices.at(0).get(first) != simdjson::SUCCESS)
    return malformed();
  std::string_view content;
  if (first["message"]["content"].get_string().get(content) != simdjson::SUCCESS)
    return malformed();
  if (only_whitespace(content))
    return malformed();
  return {true, std::string{content}, {}};
}

} // namespace haven::llm
