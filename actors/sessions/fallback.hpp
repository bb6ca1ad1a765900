#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "messages/safety.hpp"

// The built-in supportive responder (API.md section 5, "source": "fallback"):
// reviewed-wording templates per locale and risk level from
// actors/sessions/data/fallback.tsv (see its header). Pure and read-only after
// load: every session actor shares one instance.

namespace haven::sessions {

class fallback_templates {
 public:
  /// Adds one template (used by load and by tests).
  void add(std::string locale, std::string kind, std::string text);

  /// The text for `kind` ("none".."critical", "blocked", "resources") in the
  /// first locale of `locale`'s chain (sw-KE -> sw -> en) that has one;
  /// `variant` picks among several (turn number). {resources} is filled from
  /// `resources`. Empty when no locale of the chain has the kind.
  std::string render(std::string_view locale, std::string_view kind, size_t variant,
                     const std::vector<crisis_resource_view>& resources) const;

  size_t size() const { return count_; }

 private:
  const std::vector<std::string>* find(std::string_view locale, std::string_view kind) const;
  // locale -> kind -> variants
  std::unordered_map<std::string, std::unordered_map<std::string, std::vector<std::string>>> by_;
  size_t count_ = 0;
};

/// "Name (phone)", "Name (url)" or "Name": how a reply names a resource.
std::string mention(const crisis_resource_view& r);

/// At most two resources' mentions joined by `or_word` ("A (1) or B (2)").
std::string mentions(const std::vector<crisis_resource_view>& resources, std::string_view or_word);

/// Whether `text` names one of `resources` (its name, or its phone number).
bool names_a_resource(std::string_view text, const std::vector<crisis_resource_view>& resources);

struct fallback_load_result {
  std::shared_ptr<const fallback_templates> templates; // null on error
  std::string error;                                   // "file:line: message"
};

/// Reads `<dir>/fallback.tsv`. Fails on a malformed line, an unknown kind, a
/// high/critical/resources text without {resources}, or when "en" lacks a kind.
fallback_load_result load_fallback(const std::string& dir);

/// HAVEN_SESSIONS_DATA_DIR when set (`configured`), else sessions_data/ next to
/// the binary, else this source tree's actors/sessions/data.
std::string find_data_dir(const std::string& configured,
                          const std::string& exe_path = "/proc/self/exe");

} // namespace haven::sessions
