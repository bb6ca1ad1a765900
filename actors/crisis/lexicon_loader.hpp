#pragma once

#include <memory>
#include <string>

#include "actors/crisis/lexicon.hpp"
#include "actors/crisis/model.hpp"

// Loading the crisis data files at start-up (before /ready). Every locale of
// the folder is loaded and matched together: people code-switch between
// English, Swahili and Sheng inside one message.

namespace haven::crisis {

struct lexicon_result {
  std::shared_ptr<const lexicon_set> lexicons; // null on error
  std::string error; // one line: "lexicon_en.tsv:12: unknown category ..."
};

/// Loads every locale of `dir`: a locale exists when `lexicon_<locale>.tsv`
/// does; `spelling_`, `affixes_`, `negations_`, `context_` and `idioms_<locale>.tsv`
/// are optional. Any malformed line, unknown category or tag, weight outside
/// (0, 1], bad alternatives or a folder without lexicon is an error.
lexicon_result load_lexicons(const std::string& dir);

/// The learned second opinion to load with the lexicons: its file (empty = the
/// rules alone) and how it may change a level.
struct model_options {
  std::string path;
  model_policy policy;
};
/// load_lexicons(dir) is load_lexicons(dir, {find_model_file(), {}}): the model
/// comes with the rules unless HAVEN_CRISIS_MODEL=off. A missing or corrupt
/// model file is a load error, like a malformed lexicon line.
lexicon_result load_lexicons(const std::string& dir, const model_options& model);

/// Where the data files are: `configured` (the HAVEN_CRISIS_DATA_DIR setting)
/// when not empty (used as is, so a wrong value fails loudly); else the first of
/// `crisis_data/` next to the executable (`exe_path`,
/// e.g. /proc/self/exe); `../share/haven/crisis` relative to it; the folder
/// the build was configured with (HAVEN_CRISIS_DATA_DIR compile definition)
/// or, failing that, this source tree's actors/crisis/data. The first folder
/// that holds a lexicon_en.tsv wins; the last candidate is returned otherwise.
std::string find_data_dir(const std::string& configured = {},
                          const std::string& exe_path = "/proc/self/exe");

} // namespace haven::crisis
