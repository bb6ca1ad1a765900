#include "actors/crisis/lexicon_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "actors/crisis/lexicon_builder.hpp"

namespace haven::crisis {

namespace {

namespace fs = std::filesystem;

struct locale_files {
  std::string name;
  uint8_t index = 0;
  tsv_file spelling, affixes, negations, context, idioms, lexicon, classes;
};

std::string first_error(std::initializer_list<const tsv_file*> files) {
  for (const tsv_file* f : files)
    if (!f->error.empty())
      return f->error;
  return {};
}

// The build's data folder: a compile definition when the build sets one, else
// derived from this file's own path (actors/crisis/lexicon_loader.cpp).
std::string built_in_dir() {
#ifdef HAVEN_CRISIS_DATA_DIR
  return HAVEN_CRISIS_DATA_DIR;
#else
  std::string here = __FILE__;
  size_t slash = here.rfind('/');
  return slash == std::string::npos ? "actors/crisis/data" : here.substr(0, slash) + "/data";
#endif
}

} // namespace

lexicon_result load_lexicons(const std::string& dir) {
  return load_lexicons(dir, model_options{find_model_file(), {}});
}

lexicon_result load_lexicons(const std::string& dir, const model_options& model) {
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string f = e.path().filename().string();
    if (f.size() > 12 && f.rfind("lexicon_", 0) == 0 && f.compare(f.size() - 4, 4, ".tsv") == 0)
      names.push_back(f.substr(8, f.size() - 12));
  }
  if (ec)
    return {nullptr, "crisis data folder " + dir + ": " + ec.message()};
  if (names.empty())
    return {nullptr, "crisis data folder " + dir + " has no lexicon_<locale>.tsv"};
  std::sort(names.begin(), names.end());

  lexicon_builder b;
  std::vector<locale_files> locs(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    auto& l = locs[i];
    auto path = [&](const char* kind) { return dir + "/" + kind + "_" + names[i] + ".tsv"; };
    l.name = names[i];
    l.index = b.add_locale(names[i]);
    l.spelling = read_tsv(path("spelling"), false);
    l.affixes = read_tsv(path("affixes"), false);
    l.negations = read_tsv(path("negations"), false);
    l.context = read_tsv(path("context"), false);
    l.idioms = read_tsv(path("idioms"), false);
    l.lexicon = read_tsv(path("lexicon"), true);
    l.classes = read_tsv(path("classes"), false);
    std::string err = first_error(
        {&l.spelling, &l.affixes, &l.negations, &l.context, &l.idioms, &l.lexicon, &l.classes});
    if (!err.empty())
      return {nullptr, err};
  }
  // Word rules of every locale first: phrases are encoded with all of them,
  // as a code-switching message will be.
  using step = std::string (lexicon_builder::*)(const tsv_file&);
  struct phase1 {
    step fn;
    tsv_file locale_files::*file;
  };
  const phase1 steps[] = {
      {&lexicon_builder::add_spelling_keys, &locale_files::spelling},
      {&lexicon_builder::add_fillers, &locale_files::context},
      {&lexicon_builder::add_spelling_targets, &locale_files::spelling},
      {&lexicon_builder::add_affixes, &locale_files::affixes},
      {&lexicon_builder::add_word_bits, &locale_files::negations},
      {&lexicon_builder::add_word_bits, &locale_files::context},
  };
  for (const auto& s : steps) {
    for (auto& l : locs) {
      std::string err = (b.*s.fn)(l.*s.file);
      if (!err.empty())
        return {nullptr, err};
    }
  }
  // Cues before signals: a signal naming the writer ("kill myself") is marked
  // so from the first-person cues.
  for (auto& l : locs) {
    std::string err = b.add_cues(l.negations, l.index);
    if (err.empty())
      err = b.add_cues(l.context, l.index);
    if (!err.empty())
      return {nullptr, err};
  }
  for (auto& l : locs) {
    std::string err = b.add_idioms(l.idioms, l.index);
    if (err.empty())
      err = b.add_signals(l.lexicon, l.index);
    if (err.empty())
      err = b.add_classes(l.classes, l.index);
    if (!err.empty())
      return {nullptr, err};
  }
  if (!model.path.empty()) {
    auto m = crisis_model::load(model.path);
    if (!m.model)
      return {nullptr, m.error};
    b.set_model(std::move(m.model), model.policy);
  }
  return {b.finish(), {}};
}

std::string find_data_dir(const std::string& configured, const std::string& exe_path) {
  if (!configured.empty())
    return configured; // set on purpose: a wrong folder must fail loudly, not fall back
  std::vector<std::string> candidates;
  std::error_code ec;
  fs::path exe = fs::canonical(exe_path, ec);
  if (!ec) {
    candidates.push_back((exe.parent_path() / "crisis_data").string());
    candidates.push_back((exe.parent_path() / ".." / "share" / "haven" / "crisis").string());
  }
  candidates.push_back(built_in_dir());
  for (const auto& c : candidates)
    if (fs::exists(fs::path{c} / "lexicon_en.tsv", ec))
      return c;
  return candidates.back();
}

} // namespace haven::crisis
