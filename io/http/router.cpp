#include "io/http/router.hpp"

#include <algorithm>
#include <memory>

namespace haven::http {

namespace {

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    auto end = path.find('/', pos);
    if (end == std::string_view::npos)
      end = path.size();
    out.push_back(path.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

bool is_param(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

} // namespace

const char* to_string(method m) {
  switch (m) {
    case method::get:
      return "GET";
    case method::head:
      return "HEAD";
    case method::post:
      return "POST";
    case method::put:
      return "PUT";
    case method::patch:
      return "PATCH";
    case method::delete_:
      return "DELETE";
    case method::options:
      return "OPTIONS";
    case method::other:
      return "OTHER";
  }
  return "OTHER";
}

std::string_view route_match::param(std::string_view name) const {
  for (auto& [k, v] : params)
    if (k == name)
      return v;
  return {};
}

router::route* router::find_or_add(const std::string& pattern) {
  for (auto& r : routes_)
    if (r->pattern == pattern)
      return r.get();
  auto r = std::make_unique<route>();
  r->pattern = pattern;
  r->segments = split_segments(r->pattern);
  auto* raw = r.get();
  routes_.push_back(std::move(r));
  if (std::none_of(raw->segments.begin(), raw->segments.end(), is_param))
    literal_.emplace(raw->pattern, raw);
  return raw;
}

void router::add(method m, std::string pattern, size_t handler) {
  find_or_add(pattern)->handlers.emplace_back(m, handler);
}

route_match router::resolve(const route& r, method m) {
  route_match out;
  out.pattern = r.pattern;
  const std::pair<method, size_t>* get_handler = nullptr;
  for (auto& h : r.handlers) {
    if (h.first == m) {
      out.kind = route_match::found;
      out.handler = h.second;
      return out;
    }
    if (h.first == method::get)
      get_handler = &h;
  }
  if (m == method::head && get_handler != nullptr) {
    out.kind = route_match::found;
    out.handler = get_handler->second;
    return out;
  }
  out.kind = route_match::method_not_allowed;
  for (auto& h : r.handlers) {
    if (!out.allow.empty())
      out.allow += ", ";
    out.allow += to_string(h.first);
    if (h.first == method::get)
      out.allow += ", HEAD";
  }
  return out;
}

route_match router::match(method m, std::string_view path) const {
  if (auto i = literal_.find(path); i != literal_.end())
    return resolve(*i->second, m);
  auto segments = split_segments(path);
  // A path with an empty segment ("//") or a trailing slash never matches a
  // parameterized route; literal routes were checked exactly above.
  if (path.empty() || path.front() != '/' || path.find("//") != std::string_view::npos ||
      (path.size() > 1 && path.back() == '/'))
    return {};
  for (auto& r : routes_) {
    if (r->segments.size() != segments.size())
      continue;
    path_params params;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      if (is_param(r->segments[i]))
        params.emplace_back(r->segments[i].substr(1, r->segments[i].size() - 2), segments[i]);
      else
        ok = r->segments[i] == segments[i];
    }
    if (!ok)
      continue;
    auto out = resolve(*r, m);
    out.params = std::move(params);
    return out;
  }
  return {};
}

} // namespace haven::http
