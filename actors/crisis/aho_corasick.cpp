#include "actors/crisis/aho_corasick.hpp"

#include <deque>

namespace haven::crisis {

uint32_t aho_corasick::add(const std::vector<symbol>& pattern) {
  uint32_t state = 0;
  for (symbol c : pattern) {
    auto& kids = children_[state];
    auto it = std::find_if(kids.begin(), kids.end(), [c](const auto& e) { return e.first == c; });
    if (it != kids.end()) {
      state = it->second;
      continue;
    }
    auto next = static_cast<uint32_t>(children_.size());
    kids.emplace_back(c, next); // `kids` may dangle after the next line: done with it
    children_.emplace_back();
    node_outputs_.emplace_back();
    state = next;
  }
  auto id = static_cast<uint32_t>(lengths_.size());
  lengths_.push_back(static_cast<uint32_t>(pattern.size()));
  node_outputs_[state].push_back(id);
  return id;
}

void aho_corasick::build() {
  size_t n = children_.size();
  symbol max_symbol = 0;
  for (auto& kids : children_) {
    std::sort(kids.begin(), kids.end());
    for (auto& e : kids)
      max_symbol = std::max(max_symbol, e.first);
  }
  root_.assign(max_symbol + 1, 0);
  for (auto& e : children_[0])
    root_[e.first] = e.second;

  edges_.clear();
  edges_begin_.assign(n, 0);
  edges_len_.assign(n, 0);
  for (size_t s = 0; s < n; ++s) {
    edges_begin_[s] = static_cast<uint32_t>(edges_.size());
    edges_len_[s] = static_cast<uint32_t>(children_[s].size());
    edges_.insert(edges_.end(), children_[s].begin(), children_[s].end());
  }

  fail_.assign(n, 0);
  dict_.assign(n, 0);
  std::deque<uint32_t> queue;
  for (auto& e : children_[0])
    queue.push_back(e.second);
  while (!queue.empty()) {
    uint32_t u = queue.front();
    queue.pop_front();
    for (auto& [c, v] : children_[u]) {
      uint32_t f = fail_[u];
      while (f != 0 && go(f, c) == 0)
        f = fail_[f];
      uint32_t target = go(f, c);
      fail_[v] = target != v ? target : 0;
      dict_[v] = !node_outputs_[fail_[v]].empty() ? fail_[v] : dict_[fail_[v]];
      queue.push_back(v);
    }
  }

  outputs_.clear();
  outputs_begin_.assign(n, 0);
  outputs_len_.assign(n, 0);
  for (size_t s = 0; s < n; ++s) {
    outputs_begin_[s] = static_cast<uint32_t>(outputs_.size());
    outputs_len_[s] = static_cast<uint32_t>(node_outputs_[s].size());
    outputs_.insert(outputs_.end(), node_outputs_[s].begin(), node_outputs_[s].end());
  }
  children_.clear(); // the build-time trie is no longer needed
  node_outputs_.clear();
}

} // namespace haven::crisis
