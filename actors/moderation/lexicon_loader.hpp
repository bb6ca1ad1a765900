#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/moderation/lexicon.hpp"

// Builds the lexicon from the TSV files in actors/moderation/data/. Lines are
// tab-separated; blank lines and lines starting with '#' are ignored:
//
//   set    <name>    <item>|<item>|...                 (file-local; items may use {earlier})
//   match  <locale>  <category>  <weight 0..1>  <phrase>
//   idiom  <locale>  <category|*>  <phrase>
//   cue    <locale>  negation|report  <word>
//
// A phrase is words separated by spaces, normalized like the text by
// crisis::tokenize (so "I'll" and "ill" are the same), plus `{set}` (each item in turn), `*` (one
// word) and `~` (0-4 words; never first or last). Every expansion of one line is one entry: a
// message scores a line once however many of its spellings occur.

namespace haven::moderation {

struct lexicon_source {
  std::string name; // for error messages, e.g. the file name
  std::string content;
};

struct lexicon_load_result {
  std::shared_ptr<const lexicon> lex; // null on error
  std::string error;                  // "<name>:<line>: <what>" on error
};

/// Compiles the sources in order.
lexicon_load_result build_lexicon(const std::vector<lexicon_source>& sources);

/// Reads every *.tsv file of `dir` in file-name order and compiles them.
lexicon_load_result load_lexicon_dir(const std::string& dir);

/// `configured` (the HAVEN_MODERATION_DATA_DIR setting) when not empty (used as
/// is: a wrong folder fails loudly), else moderation_data/ next to the binary
/// (`exe_path`), else this source tree's actors/moderation/data.
std::string find_data_dir(const std::string& configured = {},
                          const std::string& exe_path = "/proc/self/exe");

} // namespace haven::moderation
