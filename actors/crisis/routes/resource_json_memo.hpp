#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "actors/crisis/resources.hpp"

// The `resources` array of a detect answer, encoded once per requested locale
// (the list and its `locale` fields depend only on the locale). Owned by the
// edge's thread; bounded because locale tags come from clients.

namespace haven::crisis {

class resource_json_memo {
 public:
  explicit resource_json_memo(std::shared_ptr<const resource_set> set, size_t max_locales = 64)
      : set_(std::move(set)), max_(max_locales) {}

  /// The JSON array for `locale` (see resources_for).
  const std::string& json_for(std::string_view locale);

 private:
  std::shared_ptr<const resource_set> set_;
  size_t max_;
  std::unordered_map<std::string, std::string> memo_;
  std::string scratch_; // the answer for a locale that did not fit
};

/// The JSON array of `resources_for(set, locale)`, as detect answers carry it.
std::string encode_resources(const resource_set& set, std::string_view locale);

} // namespace haven::crisis
