#pragma once

#include <cstdint>

#include "actors/crisis/lexicon.hpp"
#include "actors/crisis/types.hpp"

// From signals to a level, C-SSRS-like. One table, used for single messages
// and for the union of a session's recent messages (trajectory.hpp):
//
//   critical  an attempt in progress; a plan or preparation; active ideation,
//             intent or a threat to others together with means or a timeline
//   high      active ideation, intent, self-harm, a threat to others;
//             passive ideation together with means ("if I died tomorrow nobody
//             would care" stays medium: a timeline alone does not raise a wish)
//   medium    passive ideation; hopelessness together with means
//   low       hopelessness or distress; history, hypothetical or third-party
//             concern (feature::floor_low)
//   none      nothing that counts

namespace haven::crisis {

/// The feature bits one counting signal contributes.
uint16_t features_of(const pattern_info& p);

risk_level level_from_features(uint16_t features);

/// The score of an assessment: the level's band (none [0, .1), low [.1, .35),
/// medium [.35, .6), high [.6, .85), critical [.85, 1]) and, within it, the
/// combined strength 1 - prod(1 - weight) of the signals in [0, 1].
double score_in_band(risk_level level, double strength);

/// One level up (critical stays critical).
inline risk_level raise(risk_level x) {
  return x == risk_level::critical ? x : static_cast<risk_level>(static_cast<uint8_t>(x) + 1);
}

/// One level down (none stays none).
inline risk_level lower(risk_level x) {
  return x == risk_level::none ? x : static_cast<risk_level>(static_cast<uint8_t>(x) - 1);
}

} // namespace haven::crisis
