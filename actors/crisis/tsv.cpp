#include "actors/crisis/tsv.hpp"

#include <fstream>

namespace haven::crisis {

namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \r");
  if (b == std::string_view::npos)
    return {};
  size_t e = s.find_last_not_of(" \r");
  return std::string{s.substr(b, e - b + 1)};
}

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// Splits a group's content at top-level '|' and expands each alternative.
std::string alternatives_of(std::string_view body, const macro_table& macros, size_t limit,
                            std::vector<std::string>& out) {
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i <= body.size(); ++i) {
    char c = i < body.size() ? body[i] : '|';
    if (c == '(' || c == '[')
      ++depth;
    else if (c == ')' || c == ']')
      --depth;
    if (c != '|' || depth > 0)
      continue;
    expansion sub = expand_phrase(body.substr(start, i - start), macros, limit);
    if (!sub.error.empty())
      return sub.error;
    out.insert(out.end(), sub.phrases.begin(), sub.phrases.end());
    start = i + 1;
  }
  return {};
}

} // namespace

tsv_file read_tsv(const std::string& path, bool required) {
  tsv_file f;
  f.name = base_name(path);
  std::ifstream in{path};
  if (!in) {
    if (required)
      f.error = f.name + ": cannot open " + path;
    return f;
  }
  std::string raw;
  uint32_t number = 0;
  while (std::getline(in, raw)) {
    ++number;
    std::string t = trim(raw);
    if (t.empty() || t[0] == '#')
      continue;
    tsv_line line;
    line.number = number;
    size_t start = 0;
    for (;;) {
      size_t tab = raw.find('\t', start);
      line.fields.push_back(
          trim(std::string_view{raw}.substr(start, tab == std::string::npos ? tab : tab - start)));
      if (tab == std::string::npos)
        break;
      start = tab + 1;
    }
    while (!line.fields.empty() && line.fields.back().empty())
      line.fields.pop_back(); // trailing tabs
    f.lines.push_back(std::move(line));
  }
  return f;
}

expansion expand_phrase(std::string_view phrase, const macro_table& macros, size_t limit) {
  expansion r;
  r.phrases.emplace_back();
  auto product = [&](const std::vector<std::string>& alts) {
    if (r.phrases.size() * alts.size() > limit) {
      r.error = "more than " + std::to_string(limit) + " expansions";
      return false;
    }
    std::vector<std::string> next;
    next.reserve(r.phrases.size() * alts.size());
    for (const auto& p : r.phrases)
      for (const auto& a : alts)
        next.push_back(p + a);
    r.phrases = std::move(next);
    return true;
  };
  size_t i = 0;
  while (i < phrase.size() && r.error.empty()) {
    char c = phrase[i];
    if (c == '(' || c == '[') {
      char close = c == '(' ? ')' : ']';
      size_t end = std::string_view::npos;
      int depth = 0;
      for (size_t k = i; k < phrase.size() && end == std::string_view::npos; ++k) {
        depth += phrase[k] == '(' || phrase[k] == '[';
        depth -= phrase[k] == ')' || phrase[k] == ']';
        if (depth == 0)
          end = k;
      }
      if (end == std::string_view::npos || phrase[end] != close) {
        r.error = std::string{"unbalanced '"} + c + "'";
        break;
      }
      auto body = phrase.substr(i + 1, end - i - 1);
      std::vector<std::string> alts;
      r.error = alternatives_of(body, macros, limit, alts);
      if (c == '[')
        alts.emplace_back();
      if (r.error.empty())
        product(alts);
      i = end + 1;
    } else if (c == '@') {
      size_t e = i + 1;
      while (e < phrase.size() && is_name_char(phrase[e]))
        ++e;
      auto it = macros.find(std::string{phrase.substr(i + 1, e - i - 1)});
      if (it == macros.end()) {
        r.error = "unknown macro " + std::string{phrase.substr(i, e - i)};
        break;
      }
      product(it->second);
      i = e;
    } else if (c == ')' || c == ']' || c == '|') {
      r.error = std::string{"stray '"} + c + "'";
    } else {
      size_t e = phrase.find_first_of("([@)]|", i);
      e = e == std::string_view::npos ? phrase.size() : e;
      std::string lit{phrase.substr(i, e - i)};
      for (auto& p : r.phrases)
        p += lit;
      i = e;
    }
  }
  if (!r.error.empty())
    r.phrases.clear();
  return r;
}

std::string define_macro(const tsv_line& line, macro_table& macros) {
  const std::string& name = line.fields[0];
  if (line.fields.size() != 2 || name.size() < 2)
    return "a macro line is @NAME<TAB>alternatives";
  for (size_t k = 1; k < name.size(); ++k)
    if (!is_name_char(name[k]))
      return "bad macro name " + name;
  std::vector<std::string> alts;
  std::string err = alternatives_of(line.fields[1], macros, 16384, alts);
  if (!err.empty())
    return err;
  macros[name.substr(1)] = std::move(alts);
  return {};
}

} // namespace haven::crisis
