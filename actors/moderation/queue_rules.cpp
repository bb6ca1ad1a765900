#include "actors/moderation/queue_rules.hpp"

#include <cmath>

#include <simdjson.h>

#include "base/json/json_writer.hpp"

namespace haven::moderation {

moderation_result make_result(const validation& v) {
  moderation_result r;
  r.allowed = v.allowed;
  r.action = std::string{to_string(v.act)};
  for (auto& c : v.categories)
    r.categories.push_back({std::string{to_string(c.name)},
                            std::round(static_cast<double>(c.score) * 1000.0) / 1000.0});
  r.text = v.text;
  return r;
}

std::optional<std::string> parse_queue_filter(std::optional<std::string_view> raw) {
  if (!raw || raw->empty() || *raw == "pending")
    return std::string{"pending"};
  if (*raw == "approved" || *raw == "removed" || *raw == "all")
    return std::string{*raw};
  return std::nullopt;
}

std::optional<std::string> status_for_decision(std::string_view decision) {
  if (decision == "approve")
    return std::string{"approved"};
  if (decision == "remove")
    return std::string{"removed"};
  return std::nullopt;
}

std::string categories_json(const std::vector<category_score>& cats) {
  json::writer w;
  w.begin_array();
  for (auto& c : cats)
    w.begin_object().field("name", c.name).field("score", c.score).end_object();
  return std::move(w.end_array()).str();
}

std::vector<category_score> parse_categories(std::string_view json) {
  std::vector<category_score> out;
  simdjson::dom::parser parser;
  simdjson::dom::array arr;
  if (parser.parse(json.data(), json.size()).get_array().get(arr) != simdjson::SUCCESS)
    return out;
  for (auto item : arr) {
    std::string_view name;
    double score = 0;
    if (item["name"].get_string().get(name) != simdjson::SUCCESS)
      continue;
    if (item["score"].get_double().get(score) != simdjson::SUCCESS) {
      int64_t whole = 0;
      if (item["score"].get_int64().get(whole) == simdjson::SUCCESS)
        score = static_cast<double>(whole);
    }
    out.push_back({std::string{name}, score});
  }
  return out;
}

} // namespace haven::moderation
