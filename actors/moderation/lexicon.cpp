#include "actors/moderation/lexicon.hpp"

#include <algorithm>

#include "actors/crisis/normalize.hpp"

namespace haven::moderation {

lexicon::lexicon() : flags_(first_word, 0), nodes_(1), items_(1) {}

uint32_t lexicon::word_id(std::string_view w) const {
  auto it = vocab_.find(w);
  return it == vocab_.end() ? unknown_word : it->second;
}

uint32_t lexicon::squeezed_id(std::string_view key) const {
  auto it = squeezed_.find(key);
  return it == squeezed_.end() ? unknown_word : it->second;
}

uint32_t lexicon::child(uint32_t n, uint32_t sym) const {
  auto it = edges_.find((static_cast<uint64_t>(n) << 32) | sym);
  return it == edges_.end() ? 0 : it->second;
}

uint32_t lexicon::item_child(uint32_t n, uint32_t word) const {
  auto it = item_edges_.find((static_cast<uint64_t>(n) << 32) | word);
  return it == item_edges_.end() ? 0 : it->second;
}

uint32_t lexicon::add_set() {
  return first_set + sets_++;
}

void lexicon::add_set_item(const std::vector<uint32_t>& words, uint32_t set) {
  uint32_t n = 0;
  for (uint32_t w : words) {
    auto key = (static_cast<uint64_t>(n) << 32) | w;
    auto it = item_edges_.find(key);
    if (it != item_edges_.end()) {
      n = it->second;
      continue;
    }
    auto next = static_cast<uint32_t>(items_.size());
    items_.emplace_back();
    item_edges_.emplace(key, next);
    n = next;
  }
  auto& es = items_[n].entries;
  if (std::find(es.begin(), es.end(), set) == es.end())
    es.push_back(set);
}

int lexicon::locale_index(std::string_view name) const {
  for (size_t i = 0; i < locales_.size(); ++i)
    if (locales_[i] == name)
      return static_cast<int>(i);
  return -1;
}

uint32_t lexicon::intern(std::string_view w) {
  if (auto id = word_id(w); id != unknown_word)
    return id;
  words_.emplace_back(w);
  auto id = static_cast<uint32_t>(flags_.size());
  vocab_.emplace(std::string_view{words_.back()}, id);
  flags_.push_back(0);
  std::string buf(w.size(), '\0');
  words_.emplace_back(crisis::squeeze(w, buf.data()));
  squeezed_.emplace(std::string_view{words_.back()}, id);
  return id;
}

uint8_t lexicon::intern_locale(std::string_view name) {
  int i = locale_index(name);
  if (i >= 0)
    return static_cast<uint8_t>(i);
  locales_.emplace_back(name);
  return static_cast<uint8_t>(locales_.size() - 1);
}

uint32_t lexicon::add_entry(const lexicon_entry& e) {
  entries_.push_back(e);
  return static_cast<uint32_t>(entries_.size() - 1);
}

void lexicon::add_phrase(const std::vector<uint32_t>& syms, uint32_t entry) {
  uint32_t n = 0;
  for (uint32_t id : syms) {
    uint32_t next = 0;
    if (id == any_word || id == gap) {
      const bool any = id == any_word;
      next = any ? nodes_[n].any_child : nodes_[n].gap_child;
      if (next == 0) {
        next = static_cast<uint32_t>(nodes_.size());
        nodes_.emplace_back(); // invalidates references into nodes_: index again below
        (any ? nodes_[n].any_child : nodes_[n].gap_child) = next;
      }
    } else {
      auto key = (static_cast<uint64_t>(n) << 32) | id;
      auto it = edges_.find(key);
      if (it == edges_.end()) {
        next = static_cast<uint32_t>(nodes_.size());
        nodes_.emplace_back();
        edges_.emplace(key, next);
      } else {
        next = it->second;
      }
    }
    n = next;
  }
  auto& es = nodes_[n].entries;
  for (uint32_t e : es)
    if (e == entry)
      return; // two alternatives of one line normalized to the same words
  es.push_back(entry);
  ++phrases_;
}

void lexicon::flag(uint32_t id, uint8_t f) {
  if (id < flags_.size())
    flags_[id] |= f;
}

} // namespace haven::moderation
