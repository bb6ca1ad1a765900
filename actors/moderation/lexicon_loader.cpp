#include "actors/moderation/lexicon_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "actors/crisis/normalize.hpp"
#include "base/data_dir.hpp"

namespace haven::moderation {

namespace {

constexpr size_t max_items = 5000; // per set, after nesting: a typo must not explode

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    out.push_back(
        s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos)
      return out;
    start = p + 1;
  }
}

struct line_error {
  std::string what;
};

class loader {
 public:
  explicit loader(lexicon& lex) : lex_(lex) {}

  void file_start() { sets_.clear(); }

  void line(std::string_view l) {
    auto f = split(l, '\t');
    if (f[0] == "set" && f.size() == 3)
      define_set(f[1], f[2]);
    else if (f[0] == "match" && f.size() == 5)
      add(f[1], f[2], f[3], f[4], lexicon_entry::kind::match);
    else if (f[0] == "idiom" && f.size() == 4)
      add(f[1], f[2], "0", f[3], lexicon_entry::kind::idiom);
    else if (f[0] == "cue" && f.size() == 4)
      cue(f[1], f[2], f[3]);
    else
      throw line_error{
          "expected set/match/idiom/cue with the right number of tab-separated fields"};
  }

  uint32_t line_no = 0;

 private:
  // All spellings of a set item with every nested {set} replaced by each of
  // its items (only set definitions nest; phrases refer to set symbols).
  std::vector<std::string> expand(std::string_view text) const {
    std::vector<std::string> out{""};
    for (auto piece : split(text, ' ')) {
      if (piece.empty())
        continue;
      std::vector<std::string> alts;
      if (piece.size() > 2 && piece.front() == '{' && piece.back() == '}') {
        auto it = sets_.find(std::string{piece.substr(1, piece.size() - 2)});
        if (it == sets_.end())
          throw line_error{"unknown set " + std::string{piece}};
        alts = it->second.items;
      } else {
        alts.emplace_back(piece);
      }
      if (out.size() * alts.size() > max_items)
        throw line_error{"a set of more than 5000 items"};
      std::vector<std::string> next;
      next.reserve(out.size() * alts.size());
      for (const auto& o : out)
        for (const auto& a : alts)
          next.push_back(o.empty() ? a : o + ' ' + a);
      out.swap(next);
    }
    return out;
  }

  void define_set(std::string_view name, std::string_view items) {
    set_def def{lex_.add_set(), {}};
    for (auto item : split(items, '|')) {
      if (item.empty())
        throw line_error{"empty item in set"};
      for (auto& e : expand(item)) {
        auto words = compile(e, false);
        lex_.add_set_item(words, def.symbol);
        def.items.push_back(std::move(e));
      }
      if (def.items.size() > max_items)
        throw line_error{"a set of more than 5000 items"};
    }
    sets_[std::string{name}] = std::move(def);
  }

  // One phrase alternative (or set item) to symbols: words, set symbols
  // (phrases only) and the wildcards (phrases only).
  std::vector<uint32_t> compile(std::string_view phrase, bool is_phrase) {
    std::vector<uint32_t> ids;
    for (auto piece : split(phrase, ' ')) {
      if (piece.empty())
        continue;
      const bool wildcard = piece == "*" || piece == "~";
      const bool set = piece.size() > 2 && piece.front() == '{' && piece.back() == '}';
      if ((wildcard || set) && !is_phrase)
        throw line_error{"set items are plain words"};
      if (wildcard) {
        ids.push_back(piece == "*" ? lexicon::any_word : lexicon::gap);
        continue;
      }
      if (set) {
        auto it = sets_.find(std::string{piece.substr(1, piece.size() - 2)});
        if (it == sets_.end())
          throw line_error{"unknown set " + std::string{piece}};
        ids.push_back(it->second.symbol);
        continue;
      }
      crisis::tokenize(piece, words_);
      for (const auto& w : words_.words) {
        if (w.sentence != 0 || w.clause != 0)
          throw line_error{"punctuation that breaks a sentence or clause inside a phrase"};
        ids.push_back(lex_.intern(words_.text(w)));
      }
    }
    if (ids.empty())
      throw line_error{"empty phrase"};
    auto wild = [](uint32_t id) { return id == lexicon::any_word || id == lexicon::gap; };
    if (wild(ids.front()) || wild(ids.back()))
      throw line_error{"a phrase cannot start or end with * or ~"};
    return ids;
  }

  void add(std::string_view locale, std::string_view cat, std::string_view weight,
           std::string_view phrase, lexicon_entry::kind kind) {
    lexicon_entry e;
    e.type = kind;
    e.locale = checked_locale(locale);
    e.line = line_no;
    if (kind == lexicon_entry::kind::idiom && cat == "*") {
      e.any = true;
    } else if (auto c = category_from_string(cat)) {
      e.cat = *c;
    } else {
      throw line_error{"unknown category " + std::string{cat}};
    }
    std::string w{weight};
    char* end = nullptr;
    e.weight = std::strtof(w.c_str(), &end);
    if (w.empty() || *end != '\0' || !(e.weight >= 0.0f && e.weight <= 1.0f))
      throw line_error{"weight must be a number in [0, 1]"};
    uint32_t entry = lex_.add_entry(e);
    for (auto alt : split(phrase, '|'))
      lex_.add_phrase(compile(alt, true), entry);
  }

  void cue(std::string_view locale, std::string_view kind, std::string_view word) {
    checked_locale(locale);
    auto ids = compile(word, false);
    if (ids.size() != 1)
      throw line_error{"a cue is one word"};
    if (kind == "negation")
      lex_.mark_negation(ids[0]);
    else if (kind == "report")
      lex_.mark_report(ids[0]);
    else
      throw line_error{"cue kind must be negation or report"};
  }

  uint8_t checked_locale(std::string_view l) {
    if (l.size() < 2 || l.size() > 3 ||
        !std::all_of(l.begin(), l.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
      throw line_error{"locale must be 2-3 lower-case letters"};
    if (lex_.locales().size() >= 255 && lex_.locale_index(l) < 0)
      throw line_error{"too many locales"};
    return lex_.intern_locale(l);
  }

  struct set_def {
    uint32_t symbol;
    std::vector<std::string> items;
  };

  lexicon& lex_;
  std::map<std::string, set_def> sets_;
  crisis::token_stream words_;
};

} // namespace

lexicon_load_result build_lexicon(const std::vector<lexicon_source>& sources) {
  auto lex = std::make_shared<lexicon>();
  loader ld{*lex};
  for (const auto& src : sources) {
    ld.file_start();
    std::istringstream in{src.content};
    std::string l;
    ld.line_no = 0;
    while (std::getline(in, l)) {
      ++ld.line_no;
      if (!l.empty() && l.back() == '\r')
        l.pop_back();
      if (l.empty() || l[0] == '#')
        continue;
      try {
        ld.line(l);
      } catch (const line_error& e) {
        return {nullptr, src.name + ":" + std::to_string(ld.line_no) + ": " + e.what};
      }
    }
  }
  if (lex->entries().empty())
    return {nullptr, "moderation lexicon: no entries"};
  return {std::move(lex), {}};
}

lexicon_load_result load_lexicon_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it{dir, ec}, end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".tsv")
      files.push_back(it->path());
  if (ec)
    return {nullptr, dir + ": " + ec.message()};
  std::sort(files.begin(), files.end());
  std::vector<lexicon_source> sources;
  for (const auto& p : files) {
    std::ifstream in{p, std::ios::binary};
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in)
      return {nullptr, p.string() + ": cannot read"};
    sources.push_back({p.filename().string(), ss.str()});
  }
  return build_lexicon(sources);
}

std::string find_data_dir(const std::string& configured, const std::string& exe_path) {
  // This file is actors/moderation/lexicon_loader.cpp of the source tree.
  namespace fs = std::filesystem;
  return haven::find_data_dir(configured, "moderation_data", "",
                              (fs::path{__FILE__}.parent_path() / "data").string(), exe_path);
}

} // namespace haven::moderation
