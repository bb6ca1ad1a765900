#include "actors/crisis/levels.hpp"

#include <algorithm>

namespace haven::crisis {

uint16_t features_of(const pattern_info& p) {
  uint16_t f = 0;
  switch (p.cat) {
    case category::ideation:
      f = (p.tags & tag::passive) ? feature::passive : feature::active;
      break;
    case category::intent:
      f = feature::active;
      break;
    case category::plan:
      f = feature::plan | feature::active;
      break;
    case category::means:
      f = feature::means;
      break;
    case category::timeline:
      f = feature::timeline;
      break;
    case category::self_harm:
      f = feature::self_harm;
      break;
    case category::harm_to_others: // a wish or insult toward others ("kys") is no act
      f = (p.tags & tag::passive) ? feature::passive : feature::harm_others;
      break;
    case category::hopelessness:
      f = feature::distress;
      break;
  }
  if (p.tags & tag::attempt)
    f |= feature::attempt;
  return f;
}

risk_level level_from_features(uint16_t f) {
  using namespace feature;
  bool context = f & (means | timeline);
  if (f & (attempt | plan))
    return risk_level::critical;
  if ((f & (active | harm_others)) && context)
    return risk_level::critical;
  if (f & (active | self_harm | harm_others))
    return risk_level::high;
  if ((f & passive) && (f & means))
    return risk_level::high;
  if ((f & passive) || ((f & distress) && (f & means)))
    return risk_level::medium;
  if (f & (distress | floor_low))
    return risk_level::low;
  return risk_level::none;
}

double score_in_band(risk_level level, double strength) {
  static constexpr double lo[] = {0.0, 0.10, 0.35, 0.60, 0.85};
  static constexpr double hi[] = {0.10, 0.35, 0.60, 0.85, 1.00};
  auto i = static_cast<size_t>(level);
  strength = std::clamp(strength, 0.0, 1.0);
  // Keep strictly inside the band so that the score alone tells the level.
  double top = level == risk_level::critical ? hi[i] : hi[i] - 0.001;
  return lo[i] + (top - lo[i]) * strength;
}

} // namespace haven::crisis
