#include "actors/moderation/classifier.hpp"

#include <algorithm>
#include <cmath>

#include "actors/crisis/normalize.hpp"
#include "actors/moderation/matcher.hpp"

namespace haven::moderation {

namespace {

struct scored_hit {
  uint32_t entry;
  uint32_t begin;
  uint32_t end;
  category cat;
  float weight;
};

bool damped_by_report(category c) {
  return c == category::violence_threat || c == category::harassment || c == category::hate;
}

// A negation cue among the `window` words before `begin`, in the same clause.
bool negated(const lexicon& lex, const token_ids& t, uint32_t begin, size_t window) {
  size_t seen = 0;
  for (uint32_t j = begin; j-- > 0 && seen < window; ++seen) {
    if (!token_ids::is_word(t.ids[j]))
      return false;
    if (lex.is_negation(t.ids[j]))
      return true;
  }
  return false;
}

// A reported-speech cue among the `window` words before `begin`, in the same
// sentence (commas and quotes do not end it: he said, "…").
bool reported(const lexicon& lex, const token_ids& t, uint32_t begin, size_t window) {
  size_t seen = 0;
  for (uint32_t j = begin; j-- > 0 && seen < window;) {
    if (t.ids[j] == token_ids::strong_break)
      return false;
    if (t.ids[j] == token_ids::weak_break)
      continue;
    if (lex.is_report(t.ids[j]))
      return true;
    ++seen;
  }
  return false;
}

float round3(float v) {
  return std::round(v * 1000.0f) / 1000.0f;
}

} // namespace

classifier::classifier(std::shared_ptr<const lexicon> lex, classifier_options opt)
    : lex_(std::move(lex)), opt_(std::move(opt)) {
  always_active_.assign(lex_->locales().size(), false);
  for (const auto& l : opt_.code_switch_locales)
    if (int i = lex_->locale_index(l); i >= 0)
      always_active_[static_cast<size_t>(i)] = true;
}

category_scores classifier::classify(std::string_view text, std::string_view locale) const {
  crisis::token_stream words;
  crisis::tokenize(text, words);
  token_ids t;
  to_ids(*lex_, words, t);
  std::vector<phrase_hit> hits;
  find_hits(*lex_, t, hits);

  std::vector<bool> active = always_active_;
  if (int i = lex_->locale_index(locale); i >= 0)
    active[static_cast<size_t>(i)] = true;
  const auto& entries = lex_->entries();

  std::vector<phrase_hit> idioms;
  for (const auto& h : hits)
    if (entries[h.entry].type == lexicon_entry::kind::idiom && active[entries[h.entry].locale])
      idioms.push_back(h);

  std::vector<scored_hit> kept;
  for (const auto& h : hits) {
    const auto& e = entries[h.entry];
    if (e.type != lexicon_entry::kind::match || !active[e.locale] || e.weight <= 0.0f)
      continue;
    bool in_idiom = std::any_of(idioms.begin(), idioms.end(), [&](const phrase_hit& i) {
      const auto& ie = entries[i.entry];
      return (ie.any || ie.cat == e.cat) && i.begin < h.end && h.begin < i.end;
    });
    if (in_idiom || h.wildcard_negation || negated(*lex_, t, h.begin, opt_.negation_window))
      continue;
    float w = e.weight;
    if (damped_by_report(e.cat) && reported(*lex_, t, h.begin, opt_.report_window))
      w *= opt_.report_factor;
    kept.push_back({h.entry, h.begin, h.end, e.cat, w});
  }

  // Overlapping hits of one category are one finding (its best weight); a
  // lexicon line counts once however often it occurs.
  std::sort(kept.begin(), kept.end(), [](const scored_hit& a, const scored_hit& b) {
    return a.cat != b.cat ? a.cat < b.cat : a.begin < b.begin;
  });
  category_scores out;
  std::vector<std::pair<uint32_t, float>> best; // per entry of the category
  for (size_t i = 0; i < kept.size();) {
    const category cat = kept[i].cat;
    best.clear();
    while (i < kept.size() && kept[i].cat == cat) {
      scored_hit top = kept[i];
      uint32_t end = kept[i].end;
      for (++i; i < kept.size() && kept[i].cat == cat && kept[i].begin < end; ++i) {
        end = std::max(end, kept[i].end);
        if (kept[i].weight > top.weight)
          top = kept[i];
      }
      auto it = std::find_if(best.begin(), best.end(),
                             [&](const auto& b) { return b.first == top.entry; });
      if (it == best.end())
        best.emplace_back(top.entry, top.weight);
      else
        it->second = std::max(it->second, top.weight);
    }
    float miss = 1.0f;
    for (const auto& b : best)
      miss *= 1.0f - b.second;
    out[cat] = round3(std::clamp(1.0f - miss, 0.0f, 1.0f));
  }
  return out;
}

} // namespace haven::moderation
