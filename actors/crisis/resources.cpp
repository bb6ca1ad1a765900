#include "actors/crisis/resources.hpp"

#include <algorithm>

#include "actors/crisis/tsv.hpp"

namespace haven::crisis {

namespace {

std::string lower_tag(std::string_view s) {
  std::string t;
  for (char c : s)
    t.push_back(c == '_' ? '-' : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  return t;
}

std::string language_of(const std::string& tag) {
  return tag.substr(0, tag.find('-'));
}

std::vector<std::string> split_locales(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = s.find(',', start);
    std::string item =
        lower_tag(s.substr(start, comma == std::string::npos ? comma : comma - start));
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    if (!item.empty())
      out.push_back(item);
    if (comma == std::string::npos)
      return out;
    start = comma + 1;
  }
}

} // namespace

const char* to_string(verification x) {
  switch (x) {
    case verification::verified:
      return "verified";
    case verification::deployment:
      return "deployment";
    case verification::placeholder:
      return "placeholder";
  }
  return "placeholder";
}

resource_result load_resources(const std::string& path) {
  tsv_file f = read_tsv(path, true);
  if (!f.error.empty())
    return {nullptr, f.error};
  auto set = std::make_shared<resource_set>();
  for (const auto& line : f.lines) {
    auto fail = [&](const std::string& msg) {
      return resource_result{nullptr, f.name + ":" + std::to_string(line.number) + ": " + msg};
    };
    if (line.fields.size() != 6)
      return fail("expected name, phone, url, locales, source, status (6 tab-separated fields)");
    resource r;
    r.name = line.fields[0];
    r.phone = line.fields[1] == "-" ? "" : line.fields[1];
    r.url = line.fields[2] == "-" ? "" : line.fields[2];
    r.locales = split_locales(line.fields[3]);
    r.source = line.fields[4];
    const std::string& st = line.fields[5];
    if (st == "verified")
      r.status = verification::verified;
    else if (st == "deployment")
      r.status = verification::deployment;
    else if (st == "placeholder")
      r.status = verification::placeholder;
    else
      return fail("unknown status \"" + st + "\" (verified, deployment, placeholder)");
    if (r.name.empty() || r.locales.empty())
      return fail("name and locales must not be empty");
    if (r.status != verification::placeholder && r.phone.empty() && r.url.empty())
      return fail("a resource needs a phone or a url");
    set->items.push_back(std::move(r));
  }
  return {std::move(set), {}};
}

std::vector<const resource*> resources_for(const resource_set& set, std::string_view locale) {
  std::string want = lower_tag(locale.empty() ? std::string_view{"en"} : locale);
  std::string lang = language_of(want);
  std::vector<const resource*> out;
  auto collect = [&](auto&& pred) {
    for (const auto& r : set.items) {
      if (r.status == verification::placeholder)
        continue;
      if (std::any_of(r.locales.begin(), r.locales.end(), pred) &&
          std::find(out.begin(), out.end(), &r) == out.end())
        out.push_back(&r);
    }
  };
  collect([&](const std::string& t) { return t == want || t == lang; });
  if (out.empty())
    collect([&](const std::string& t) { return t != "*" && language_of(t) == lang; });
  if (out.empty())
    collect([&](const std::string& t) { return t == "en"; });
  if (out.empty())
    collect([&](const std::string& t) { return t != "*" && language_of(t) == "en"; });
  collect([](const std::string& t) { return t == "*"; });
  return out;
}

} // namespace haven::crisis
