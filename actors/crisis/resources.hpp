#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

// Help resources returned with an assessment (API.md section 4 `resources`).
// They come from actors/crisis/data/resources.tsv, one a line:
//
//   name <TAB> phone <TAB> url <TAB> locales <TAB> source <TAB> status
//
// `-` for an empty phone or url; `locales` is a comma-separated list of tags
// ("en-US", "sw-KE", "sw") or `*` for every locale; `status` is `verified` (a
// public number checked against `source`), `deployment` (filled in by the
// operator of this deployment) or `placeholder` (to be filled in: never
// returned to a user).

namespace haven::crisis {

enum class verification : uint8_t { verified, deployment, placeholder };

struct resource {
  std::string name;
  std::string phone;                // may be empty
  std::string url;                  // may be empty
  std::vector<std::string> locales; // lower-case tags, or "*"
  std::string source;
  verification status = verification::placeholder;
};

struct resource_set {
  std::vector<resource> items;
};

struct resource_result {
  std::shared_ptr<const resource_set> resources; // null on error
  std::string error;                             // "resources.tsv:7: ..."
};

/// Reads the resources file; malformed lines, an unknown status, or an entry
/// that is not a placeholder and has neither phone nor url are errors.
resource_result load_resources(const std::string& path);

/// The resources for `locale` ("sw-KE", "sw", "en", empty = "en"), placeholders
/// left out: entries tagged with exactly this locale or its bare language;
/// if none, entries of the same language in any region; if none, English
/// ones; then the `*` entries. File order within each group.
std::vector<const resource*> resources_for(const resource_set& set, std::string_view locale);

const char* to_string(verification x);

} // namespace haven::crisis
