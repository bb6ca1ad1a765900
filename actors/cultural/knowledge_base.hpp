#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// The cultural-context knowledge base (API.md section 5): entries per locale
// and topic, loaded once from data files (actors/cultural/data/<locale>.tsv)
// and read-only afterwards, so the edge's thread answers from it directly.
// Pure: no actors, no I/O after load.

namespace haven::cultural {

struct entry {
  std::string id, topic, title, body, source;
  bool reviewed = false; // `review` column: "reviewed", else a draft to review
};

/// What GET /v1/cultural/context answers: the locale that had entries and
/// whether it is not the one asked for.
struct lookup_result {
  std::string locale;
  bool fallback = false;
  std::vector<const entry*> entries;
};

class knowledge_base {
 public:
  /// Adds a locale's entries (used by load and by tests).
  void add(std::string locale, std::vector<entry> entries);

  /// The first locale of `locale`'s fallback chain (itself, its language,
  /// then "en") that has entries for `topic` (any topic when empty). When none
  /// has, "en" with no entries. `locale` must be normalized.
  lookup_result find(std::string_view locale, std::string_view topic) const;

  size_t size() const;
  std::vector<std::string> locales() const;

 private:
  std::unordered_map<std::string, std::vector<entry>> by_locale_;
};

/// "sw-ke", "sw_KE", "SW-Ke" -> "sw-KE"; "EN" -> "en". Nothing unless it is a
/// language of 2–3 letters with an optional region of 2 letters or 3 digits.
std::optional<std::string> normalize_locale(std::string_view text);

/// The fallback chain: "sw-KE" -> {"sw-KE", "sw", "en"}; "en" -> {"en"}.
std::vector<std::string> fallback_chain(const std::string& locale);

/// A topic name: 1–32 characters of [a-z0-9_-].
bool valid_topic(std::string_view topic);

struct load_result {
  std::shared_ptr<const knowledge_base> base; // null on error
  std::string error;                          // "file:line: message"
};

/// Reads every <locale>.tsv of `dir`: '#' comment lines, then the header
/// `id topic title body source review`, then one entry a line. Fails on a
/// malformed line, a duplicate id, a bad locale file name or topic, or an
/// empty folder.
load_result load_knowledge_base(const std::string& dir);

/// `configured` (the HAVEN_CULTURAL_DATA_DIR setting) when not empty, else
/// cultural_data/ next to the binary, else this source tree's actors/cultural/data.
std::string find_data_dir(const std::string& configured = {},
                          const std::string& exe_path = "/proc/self/exe");

} // namespace haven::cultural
