#include "actors/sessions/fallback.hpp"

#include <array>
#include <filesystem>
#include <fstream>

#include "actors/cultural/knowledge_base.hpp"
#include "base/data_dir.hpp"

namespace haven::sessions {

namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 8> kinds{"none",     "low",     "medium",    "high",
                                                "critical", "blocked", "resources", "or"};

bool needs_resources(std::string_view kind) {
  return kind == "high" || kind == "critical" || kind == "resources";
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos)
      return out;
    start = tab + 1;
  }
}

} // namespace

void fallback_templates::add(std::string locale, std::string kind, std::string text) {
  by_[std::move(locale)][std::move(kind)].push_back(std::move(text));
  ++count_;
}

const std::vector<std::string>* fallback_templates::find(std::string_view locale,
                                                         std::string_view kind) const {
  auto normalized = cultural::normalize_locale(locale).value_or("en");
  for (const auto& l : cultural::fallback_chain(normalized)) {
    auto i = by_.find(l);
    if (i == by_.end())
      continue;
    auto j = i->second.find(std::string{kind});
    if (j != i->second.end() && !j->second.empty())
      return &j->second;
  }
  return nullptr;
}

std::string fallback_templates::render(std::string_view locale, std::string_view kind,
                                       size_t variant,
                                       const std::vector<crisis_resource_view>& resources) const {
  const auto* texts = find(locale, kind);
  if (texts == nullptr)
    return {};
  std::string text = (*texts)[variant % texts->size()];
  auto at = text.find("{resources}");
  if (at != std::string::npos) {
    const auto* or_words = find(locale, "or");
    auto names = mentions(resources, or_words != nullptr ? or_words->front() : "or");
    if (names.empty()) // no resource for the locale: the emergency number stands alone
      names = "a crisis line";
    text.replace(at, std::string_view{"{resources}"}.size(), names);
  }
  return text;
}

std::string mention(const crisis_resource_view& r) {
  if (!r.phone.empty())
    return r.name + " (" + r.phone + ")";
  if (!r.url.empty())
    return r.name + " (" + r.url + ")";
  return r.name;
}

std::string mentions(const std::vector<crisis_resource_view>& resources, std::string_view or_word) {
  // Phone lines first: a number can be called right away.
  std::vector<const crisis_resource_view*> picked;
  for (int pass = 0; pass < 2 && picked.size() < 2; ++pass)
    for (const auto& r : resources)
      if (picked.size() < 2 && (pass == 0) == !r.phone.empty())
        picked.push_back(&r);
  std::string out;
  for (const auto* r : picked) {
    if (!out.empty())
      out.append(" ").append(or_word).append(" ");
    out += mention(*r);
  }
  return out;
}

bool names_a_resource(std::string_view text, const std::vector<crisis_resource_view>& resources) {
  for (const auto& r : resources) {
    if (!r.name.empty() && text.find(r.name) != std::string_view::npos)
      return true;
    if (!r.phone.empty() && text.find(r.phone) != std::string_view::npos)
      return true;
  }
  return false;
}

fallback_load_result load_fallback(const std::string& dir) {
  fallback_load_result res;
  const std::string name = "fallback.tsv";
  std::ifstream in{dir + "/" + name};
  if (!in) {
    res.error = name + ": cannot open in " + dir;
    return res;
  }
  auto t = std::make_shared<fallback_templates>();
  std::string line;
  size_t number = 0;
  bool header = false;
  auto fail = [&](const std::string& msg) {
    res.error = name + ":" + std::to_string(number) + ": " + msg;
    return res;
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.empty() || line[0] == '#')
      continue;
    auto f = split_tabs(line);
    if (!header) {
      if (f != std::vector<std::string>{"locale", "kind", "text", "review"})
        return fail("the header must be: locale, kind, text, review");
      header = true;
      continue;
    }
    if (f.size() != 4)
      return fail("expected 4 tab-separated fields");
    auto locale = cultural::normalize_locale(f[0]);
    if (!locale || *locale != f[0])
      return fail("locale must be a normalized tag such as en, sw or sw-KE");
    bool known = false;
    for (auto k : kinds)
      known |= f[1] == k;
    if (!known)
      return fail("unknown kind \"" + f[1] + "\"");
    if (f[2].empty())
      return fail("empty text");
    if (needs_resources(f[1]) && f[2].find("{resources}") == std::string::npos)
      return fail("a " + f[1] + " text must name the crisis lines with {resources}");
    if (f[3] != "reviewed" && f[3] != "draft")
      return fail("review must be reviewed or draft");
    t->add(*locale, f[1], f[2]);
  }
  for (auto k : kinds)
    if (t->render("en", k, 0, {}).empty())
      return fail("en has no \"" + std::string{k} + "\" text");
  res.templates = std::move(t);
  return res;
}

std::string find_data_dir(const std::string& configured, const std::string& exe_path) {
  // This file is actors/sessions/fallback.cpp of the source tree.
  namespace fs = std::filesystem;
  return haven::find_data_dir(configured, "sessions_data", "fallback.tsv",
                              (fs::path{__FILE__}.parent_path() / "data").string(), exe_path);
}

} // namespace haven::sessions
