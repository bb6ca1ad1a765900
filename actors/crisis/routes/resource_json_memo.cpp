#include "actors/crisis/routes/resource_json_memo.hpp"

#include "actors/crisis/event_rules.hpp"
#include "actors/crisis/routes/crisis_json.hpp"

namespace haven::crisis {

std::string encode_resources(const resource_set& set, std::string_view locale) {
  std::vector<crisis_resource_view> views;
  for (const auto* r : resources_for(set, locale))
    views.push_back({r->name, r->phone, r->url, resource_locale(*r, locale)});
  return resources_json(views);
}

const std::string& resource_json_memo::json_for(std::string_view locale) {
  auto i = memo_.find(std::string{locale});
  if (i != memo_.end())
    return i->second;
  auto json = encode_resources(*set_, locale);
  if (memo_.size() >= max_) {
    scratch_ = std::move(json);
    return scratch_;
  }
  return memo_.emplace(std::string{locale}, std::move(json)).first->second;
}

} // namespace haven::crisis
