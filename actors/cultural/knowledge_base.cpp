#include "actors/cultural/knowledge_base.hpp"
#include "base/data_dir.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unordered_set>

namespace haven::cultural {

namespace fs = std::filesystem;

namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}
char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos)
      return out;
    start = tab + 1;
  }
}

constexpr const char* header = "id\ttopic\ttitle\tbody\tsource\treview";

} // namespace

void knowledge_base::add(std::string locale, std::vector<entry> entries) {
  auto& list = by_locale_[std::move(locale)];
  for (auto& e : entries)
    list.push_back(std::move(e));
}

lookup_result knowledge_base::find(std::string_view locale, std::string_view topic) const {
  lookup_result out;
  for (const auto& candidate : fallback_chain(std::string{locale})) {
    auto i = by_locale_.find(candidate);
    if (i == by_locale_.end())
      continue;
    for (const auto& e : i->second)
      if (topic.empty() || e.topic == topic)
        out.entries.push_back(&e);
    if (!out.entries.empty()) {
      out.locale = candidate;
      out.fallback = candidate != locale;
      return out;
    }
  }
  out.locale = "en";
  out.fallback = locale != "en";
  return out;
}

size_t knowledge_base::size() const {
  size_t n = 0;
  for (const auto& [locale, list] : by_locale_)
    n += list.size();
  return n;
}

std::vector<std::string> knowledge_base::locales() const {
  std::vector<std::string> out;
  for (const auto& [locale, list] : by_locale_)
    out.push_back(locale);
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> normalize_locale(std::string_view text) {
  size_t sep = text.find_first_of("-_");
  std::string_view lang = text.substr(0, sep);
  if (lang.size() < 2 || lang.size() > 3 || !std::all_of(lang.begin(), lang.end(), is_alpha))
    return std::nullopt;
  std::string out;
  for (char c : lang)
    out.push_back(lower(c));
  if (sep == std::string_view::npos)
    return out;
  std::string_view region = text.substr(sep + 1);
  bool letters = region.size() == 2 && std::all_of(region.begin(), region.end(), is_alpha);
  bool digits = region.size() == 3 && std::all_of(region.begin(), region.end(), is_digit);
  if (!letters && !digits)
    return std::nullopt;
  out.push_back('-');
  for (char c : region)
    out.push_back(upper(c));
  return out;
}

std::vector<std::string> fallback_chain(const std::string& locale) {
  std::vector<std::string> chain{locale};
  auto dash = locale.find('-');
  if (dash != std::string::npos)
    chain.push_back(locale.substr(0, dash));
  if (chain.back() != "en")
    chain.push_back("en");
  return chain;
}

bool valid_topic(std::string_view topic) {
  return !topic.empty() && topic.size() <= 32 &&
         std::all_of(topic.begin(), topic.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-';
         });
}

load_result load_knowledge_base(const std::string& dir) {
  auto base = std::make_shared<knowledge_base>();
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(dir, ec))
    if (f.path().extension() == ".tsv")
      files.push_back(f.path());
  if (ec)
    return {nullptr, dir + ": " + ec.message()};
  if (files.empty())
    return {nullptr, dir + ": no <locale>.tsv files"};
  std::sort(files.begin(), files.end());
  std::unordered_set<std::string> ids;
  for (const auto& path : files) {
    std::string name = path.filename().string();
    auto locale = normalize_locale(path.stem().string());
    if (!locale || *locale != path.stem().string())
      return {nullptr, name + ": the file name must be a locale such as en.tsv or sw-KE.tsv"};
    std::ifstream in(path);
    std::string line;
    bool seen_header = false;
    std::vector<entry> entries;
    for (uint32_t number = 1; std::getline(in, line); ++number) {
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      auto where = name + ":" + std::to_string(number) + ": ";
      if (line.empty() || line[0] == '#')
        continue;
      if (!seen_header) {
        if (line != header)
          return {nullptr, where + "expected the header line '" + std::string{header} + "'"};
        seen_header = true;
        continue;
      }
      auto f = split_tabs(line);
      if (f.size() != 6)
        return {nullptr,
                where + "expected 6 tab-separated fields, got " + std::to_string(f.size())};
      entry e{f[0], f[1], f[2], f[3], f[4], f[5] == "reviewed"};
      if (e.id.empty() || e.title.empty() || e.body.empty() || e.source.empty())
        return {nullptr, where + "id, title, body and source must not be empty"};
      if (!valid_topic(e.topic))
        return {nullptr, where + "topic must be 1-32 characters of [a-z0-9_-]"};
      if (f[5] != "reviewed" && f[5] != "draft")
        return {nullptr, where + "review must be 'reviewed' or 'draft'"};
      if (!ids.insert(e.id).second)
        return {nullptr, where + "duplicate id " + e.id};
      entries.push_back(std::move(e));
    }
    if (!seen_header)
      return {nullptr, name + ": no header line"};
    base->add(*locale, std::move(entries));
  }
  return {std::move(base), {}};
}

std::string find_data_dir(const std::string& configured, const std::string& exe_path) {
#ifdef HAVEN_CULTURAL_DATA_DIR
  const std::string source_dir = HAVEN_CULTURAL_DATA_DIR;
#else
  const std::string source_dir = "actors/cultural/data";
#endif
  return haven::find_data_dir(configured, "cultural_data", "en.tsv", source_dir, exe_path);
}

} // namespace haven::cultural
