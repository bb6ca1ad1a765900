#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// The data files of actors/crisis/data are tab-separated: one record a line,
// '#' starts a comment line, blank lines are skipped, fields are trimmed.
// Phrase fields may hold alternatives, expanded at load time:
//   (a|b c|)   one of "a", "b c" or nothing (groups may nest)
//   [a|b]      optional: "a", "b" or nothing
//   @NAME      one of the alternatives of a macro line `@NAME<TAB>x|y|z`
//              defined earlier in the same file

namespace haven::crisis {

struct tsv_line {
  uint32_t number = 0; // 1-based line number in the file
  std::vector<std::string> fields;
};

struct tsv_file {
  std::string name; // file name without folder, for messages
  std::vector<tsv_line> lines;
  std::string error; // "name:line: message", or empty
};

/// Reads `path`. A missing file is an error only when `required`.
tsv_file read_tsv(const std::string& path, bool required);

using macro_table = std::unordered_map<std::string, std::vector<std::string>>;

struct expansion {
  std::vector<std::string> phrases;
  std::string error; // empty on success
};

/// Expands the alternatives of `phrase` (at most `limit` results).
expansion expand_phrase(std::string_view phrase, const macro_table& macros, size_t limit = 16384);

/// Handles a macro line (fields[0] starts with '@'); returns an error or "".
std::string define_macro(const tsv_line& line, macro_table& macros);

} // namespace haven::crisis
