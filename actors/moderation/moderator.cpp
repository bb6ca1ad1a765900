#include "actors/moderation/moderator.hpp"

#include <algorithm>

namespace haven::moderation {

moderator::moderator(std::shared_ptr<const lexicon> lex, moderation_config cfg)
    : cfg_(std::move(cfg)), classifier_(std::move(lex), cfg_.classifier) {}

validation moderator::validate(std::string_view text, direction dir,
                               std::string_view locale) const {
  validation v;
  pii_result pii = redact_pii(text, cfg_.pii_allow);
  // Score the original: placeholders would hide nothing the lexicon looks for.
  category_scores scores = classifier_.classify(text, locale);
  scores[category::pii] = pii.found.any() ? 1.0f : 0.0f;

  const decision d = decide(scores, dir, cfg_.policy);
  v.act = d.act;
  v.allowed = d.act != action::block;
  v.flagged = d.flagged;
  v.pii = pii.found;
  for (auto c : all_categories)
    if (scores[c] > 0.0f)
      v.categories.push_back({c, scores[c]});
  std::stable_sort(
      v.categories.begin(), v.categories.end(),
      [](const category_result& a, const category_result& b) { return a.score > b.score; });
  v.redacted = std::move(pii.text);
  switch (d.act) {
    case action::allow:
      v.text.assign(text.data(), text.size());
      break;
    case action::redact:
      v.text = v.redacted;
      break;
    case action::block:
      break; // empty: blocked content never travels on in `text`
  }
  return v;
}

} // namespace haven::moderation
