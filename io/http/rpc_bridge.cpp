#include "io/http/rpc_bridge.hpp"

#include <algorithm>

#include <simdjson.h>

#include "io/http/router.hpp"

namespace haven::http {

namespace {

const bus_header* find(const bus_message& m, std::string_view name) {
  for (const auto& h : m.headers) {
    if (h.name.size() == name.size() &&
        std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
          auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
          return lower(a) == lower(b);
        }))
      return &h;
  }
  return nullptr;
}

// A resource id or stage name that can stand in a path segment as it is.
bool plain_segment(std::string_view s) {
  return !s.empty() && s.size() <= 200 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

bool status_path(std::string_view body, std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    // The PUT route answers invalid_json (400) like HTTP does, before its
    // handler runs: any path it matches will do (an empty one would be 404).
    path.assign("/v1/status/-/stages/ingestion");
    return true;
  }
  std::string_view id, stage;
  if (root["resource_id"].get(id) != simdjson::SUCCESS || !plain_segment(id) ||
      root["stage"].get(stage) != simdjson::SUCCESS || !plain_segment(stage))
    return false;
  path.assign("/v1/status/").append(id).append("/stages/").append(stage);
  return true;
}

} // namespace

const std::vector<std::string_view>& rpc_subjects() {
  static const std::vector<std::string_view> subjects{"crisis.detect", "safety.validate",
                                                      "conversation.chat", "status.update"};
  return subjects;
}

bool is_inbox_subject(std::string_view reply) {
  return reply.size() > 7 && reply.compare(0, 7, "_INBOX.") == 0 &&
         reply.find_first_of(" \t\r\n*>") == std::string_view::npos;
}

std::string rpc_client_key(std::string_view reply) {
  auto dot = reply.find('.', 7);
  return std::string{reply.substr(0, dot)};
}

rpc_mapping to_http_request(std::string_view subject, const bus_message& m, request& out) {
  out.headers.clear();
  out.query.clear();
  if (subject == "crisis.detect") {
    out.verb = method::post;
    out.path = "/v1/crisis/detect";
  } else if (subject == "safety.validate") {
    out.verb = method::post;
    out.path = "/v1/safety/validate";
  } else if (subject == "conversation.chat") {
    out.verb = method::post;
    out.path = "/v1/conversation/chat";
  } else if (subject == "status.update") {
    out.verb = method::put;
    if (!status_path(m.data, out.path))
      return rpc_mapping::bad_fields;
  } else {
    return rpc_mapping::unknown_subject;
  }
  out.method_text = to_string(out.verb);
  out.target = out.path;
  out.version = 11;
  out.keep_alive = true;
  out.headers.emplace_back("content-type", "application/json");
  if (const auto* a = find(m, "Authorization"))
    out.headers.emplace_back("authorization", a->value);
  for (auto name : {"Haven-Request-Id", "X-Request-ID"})
    if (const auto* id = find(m, name)) {
      out.headers.emplace_back("x-request-id", id->value);
      break;
    }
  out.body = m.data;
  return rpc_mapping::ok;
}

std::string rpc_reply(int status, std::string_view body) {
  std::string out;
  out.reserve(body.size() + 24);
  out.append("{\"status\":").append(std::to_string(status)).append(",\"body\":");
  if (body.empty())
    out.append("null");
  else
    out.append(body);
  out.push_back('}');
  return out;
}

} // namespace haven::http
