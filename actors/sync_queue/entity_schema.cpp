#include "actors/sync_queue/entity_schema.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/data_dir.hpp"
#include "io/http/body_reader.hpp"

namespace haven::sync {

namespace {

namespace fs = std::filesystem;
using simdjson::dom::element;
using simdjson::dom::element_type;

// A field's value with no rule of its own (an allowed extra): any JSON at
// most `depth` levels of arrays/objects deep.
bool within_depth(element v, size_t depth) {
  simdjson::dom::object o;
  simdjson::dom::array a;
  if (v.get_object().get(o) == simdjson::SUCCESS) {
    if (depth == 0)
      return false;
    for (auto field : o)
      if (!within_depth(field.value, depth - 1))
        return false;
  } else if (v.get_array().get(a) == simdjson::SUCCESS) {
    if (depth == 0)
      return false;
    for (auto child : a)
      if (!within_depth(child, depth - 1))
        return false;
  }
  return true;
}

payload_issue check_string(const field_rule& r, std::string_view s, const std::string& where) {
  if (http::utf8_length(s) > r.max_length)
    return {where, "too_long"};
  if (!r.enums.empty() && std::find(r.enums.begin(), r.enums.end(), s) == r.enums.end())
    return {where, "not_allowed"};
  if (r.date_time && !is_rfc3339(s))
    return {where, "invalid_format"};
  return {};
}

payload_issue check_field(const field_rule& r, element v) {
  const std::string where = "payload." + r.name;
  switch (r.type) {
    case field_type::string: {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS)
        return {where, "wrong_type"};
      return check_string(r, s, where);
    }
    case field_type::integer: {
      int64_t i = 0;
      if (!v.is_int64() || v.get_int64().get(i) != simdjson::SUCCESS)
        return {where, "wrong_type"};
      auto n = static_cast<double>(i);
      if (r.has_range && (n < r.min || n > r.max))
        return {where, "out_of_range"};
      return {};
    }
    case field_type::number: {
      if (!v.is_number())
        return {where, "wrong_type"};
      double n = 0;
      if (v.get_double().get(n) != simdjson::SUCCESS || !std::isfinite(n))
        return {where, "wrong_type"};
      if (r.has_range && (n < r.min || n > r.max))
        return {where, "out_of_range"};
      return {};
    }
    case field_type::boolean:
      return v.is_bool() ? payload_issue{} : payload_issue{where, "wrong_type"};
    case field_type::string_array: {
      simdjson::dom::array items;
      if (v.get_array().get(items) != simdjson::SUCCESS)
        return {where, "wrong_type"};
      if (items.size() > r.max_items)
        return {where, "too_many_items"};
      for (auto item : items) {
        std::string_view s;
        if (item.get_string().get(s) != simdjson::SUCCESS)
          return {where, "wrong_type"};
        if (auto bad = check_string(r, s, where); !bad.issue.empty())
          return bad;
      }
      return {};
    }
  }
  return {where, "wrong_type"};
}

bool read_uint(element v, size_t& out) {
  uint64_t n = 0;
  if (v.get_uint64().get(n) != simdjson::SUCCESS)
    return false;
  out = static_cast<size_t>(n);
  return true;
}

// One field's rule from {"type":…, …}; "" or the reason it is malformed.
std::string parse_rule(std::string_view name, element spec, field_rule& r) {
  r.name = std::string{name};
  simdjson::dom::object o;
  if (spec.get_object().get(o) != simdjson::SUCCESS)
    return "field " + r.name + ": must be an object";
  std::string_view type;
  if (o["type"].get_string().get(type) != simdjson::SUCCESS)
    return "field " + r.name + ": \"type\" missing";
  if (type == "string")
    r.type = field_type::string;
  else if (type == "integer")
    r.type = field_type::integer;
  else if (type == "number")
    r.type = field_type::number;
  else if (type == "boolean")
    r.type = field_type::boolean;
  else if (type == "string_array")
    r.type = field_type::string_array;
  else
    return "field " + r.name + ": unknown type \"" + std::string{type} + "\"";
  for (auto [key, v] : o) {
    bool ok = true;
    if (key == "type")
      continue;
    if (key == "required")
      ok = v.get_bool().get(r.required) == simdjson::SUCCESS;
    else if (key == "max_length")
      ok = read_uint(v, r.max_length);
    else if (key == "max_items")
      ok = read_uint(v, r.max_items);
    else if (key == "min" || key == "max") {
      double d = 0;
      ok = v.get_double().get(d) == simdjson::SUCCESS;
      (key == "min" ? r.min : r.max) = d;
      r.has_range = true;
    } else if (key == "format") {
      std::string_view f;
      ok = v.get_string().get(f) == simdjson::SUCCESS && f == "date-time";
      r.date_time = ok;
    } else if (key == "enum") {
      simdjson::dom::array a;
      ok = v.get_array().get(a) == simdjson::SUCCESS;
      for (auto item : a) {
        std::string_view s;
        ok = ok && item.get_string().get(s) == simdjson::SUCCESS;
        if (ok)
          r.enums.emplace_back(s);
      }
    } else {
      return "field " + r.name + ": unknown rule \"" + std::string{key} + "\"";
    }
    if (!ok)
      return "field " + r.name + ": bad value for \"" + std::string{key} + "\"";
  }
  bool stringy = r.type == field_type::string || r.type == field_type::string_array;
  if (stringy && r.max_length == 0)
    return "field " + r.name + ": strings need a max_length";
  if (r.type == field_type::string_array && r.max_items == 0)
    return "field " + r.name + ": arrays need a max_items";
  if (r.has_range && r.min > r.max)
    return "field " + r.name + ": min above max";
  return {};
}

bool digits(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size())
    return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

} // namespace

bool is_rfc3339(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (s.size() < 20 || s.size() > 40 || !digits(s, 0, 4, y) || s[4] != '-' ||
      !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d) ||
      (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
    return false;
  size_t i = 19;
  if (s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
    if (i == start || i - start > 9)
      return false;
  }
  if (i == s.size())
    return false;
  if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size())
    return true;
  int oh, om;
  return (s[i] == '+' || s[i] == '-') && i + 6 == s.size() && digits(s, i + 1, 2, oh) &&
         s[i + 3] == ':' && digits(s, i + 4, 2, om) && oh <= 23 && om <= 59;
}

payload_issue check_payload(const entity_schema& schema, element payload) {
  simdjson::dom::object o;
  if (payload.get_object().get(o) != simdjson::SUCCESS)
    return {"payload", "wrong_type"};
  for (const auto& r : schema.fields) {
    element v;
    bool present = o.at_key(r.name).get(v) == simdjson::SUCCESS && !v.is_null();
    if (!present) {
      if (r.required)
        return {"payload." + r.name, "required"};
      continue;
    }
    if (auto bad = check_field(r, v); !bad.issue.empty())
      return bad;
  }
  for (auto [key, v] : o) {
    bool known = std::any_of(schema.fields.begin(), schema.fields.end(),
                             [k = key](const field_rule& r) { return r.name == k; });
    if (known)
      continue;
    // Keys are echoed in answers: bound what we echo.
    std::string where = "payload." + std::string{key.substr(0, 64)};
    if (!schema.additional_properties)
      return {where, "unknown_field"};
    if (!within_depth(v, schema.max_extra_depth))
      return {where, "too_deep"};
  }
  return {};
}

void schema_set::add(entity_schema s) {
  auto name = s.name;
  by_name_.insert_or_assign(std::move(name), std::move(s));
}

const entity_schema* schema_set::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second;
}

std::vector<std::string> schema_set::names() const {
  std::vector<std::string> out;
  for (const auto& [name, s] : by_name_)
    out.push_back(name);
  return out;
}

load_result parse_schema(std::string_view text, const std::string& file, schema_set& into) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS)
    return {nullptr, file + ": not valid JSON"};
  simdjson::dom::object o;
  if (root.get_object().get(o) != simdjson::SUCCESS)
    return {nullptr, file + ": must be a JSON object"};
  entity_schema s;
  std::string_view name;
  if (o["entity"].get_string().get(name) != simdjson::SUCCESS || name.empty() || name.size() > 64)
    return {nullptr, file + ": \"entity\" missing"};
  s.name = std::string{name};
  bool extra = false;
  if (o["additional_properties"].get_bool().get(extra) == simdjson::SUCCESS)
    s.additional_properties = extra;
  uint64_t depth = 0;
  if (o["max_extra_depth"].get_uint64().get(depth) == simdjson::SUCCESS)
    s.max_extra_depth = static_cast<size_t>(std::min<uint64_t>(depth, 32));
  simdjson::dom::object fields;
  if (o["fields"].get_object().get(fields) != simdjson::SUCCESS)
    return {nullptr, file + ": \"fields\" missing"};
  for (auto [key, spec] : fields) {
    field_rule r;
    if (auto err = parse_rule(key, spec, r); !err.empty())
      return {nullptr, file + ": " + err};
    s.fields.push_back(std::move(r));
  }
  into.add(std::move(s));
  return {nullptr, {}};
}

load_result load_schemas(const std::string& dir) {
  auto set = std::make_shared<schema_set>();
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(dir, ec))
    if (f.path().extension() == ".json")
      files.push_back(f.path());
  if (ec)
    return {nullptr, dir + ": cannot read the folder"};
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    std::ifstream in{p};
    std::string text{std::istreambuf_iterator<char>{in}, {}};
    if (!in && !in.eof())
      return {nullptr, p.string() + ": cannot read"};
    auto before = set->size();
    if (auto r = parse_schema(text, p.filename().string(), *set); !r.error.empty())
      return r;
    if (set->size() == before || set->find(p.stem().string()) == nullptr)
      return {nullptr, p.filename().string() + ": \"entity\" must equal the file name"};
  }
  if (set->size() == 0)
    return {nullptr, dir + ": no entity kinds (*.json)"};
  return {std::move(set), {}};
}

std::string find_data_dir(const std::string& configured, const std::string& exe_path) {
#ifdef HAVEN_SYNC_DATA_DIR
  const std::string source_dir = HAVEN_SYNC_DATA_DIR;
#else
  const std::string source_dir = "actors/sync_queue/data";
#endif
  return haven::find_data_dir(configured, "sync_data", "", source_dir, exe_path);
}

} // namespace haven::sync
