#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// The vocabulary of crisis detection (API.md section 4), shared by the scorer,
// the trajectory and the actor that wraps them. Pure data: no CAF here.

namespace haven::crisis {

/// C-SSRS-like levels, ordered: comparisons (`>=`) are meaningful.
/// none: nothing of concern; low: distress or hopelessness without ideation;
/// medium: passive ideation; high: active ideation or self-harm without a plan;
/// critical: plan, means or timeline with ideation, or an attempt in progress.
enum class risk_level : uint8_t { none, low, medium, high, critical };

/// The signal categories of API.md section 4.
enum class category : uint8_t {
  ideation,
  intent,
  plan,
  means,
  timeline,
  self_harm,
  harm_to_others,
  hopelessness,
};

/// Why a matched phrase does not count (fully) for the writer of the text.
enum class modifier : uint8_t {
  none,         // counts
  negated,      // "I would never hurt myself": dropped
  third_party,  // about someone else ("my friend said she wants to die"): concern, level <= low
  discussion,   // academic, news, fiction, lyrics, resource questions: dropped
  history,      // "I used to cut": past, level <= low
  hypothetical, // "if I ever felt suicidal, who do I call?": level <= low
  hyperbole,    // "I'll kill him lol", "kill him in the next round": dropped
};

/// One matched phrase. `evidence` holds the matched words of the original
/// text only (joined by one space), never the surrounding text.
struct risk_signal {
  category cat = category::ideation;
  std::string evidence;
  double weight = 0.0;
  modifier mod = modifier::none;
  bool passive = false; // passive ideation ("wish I could sleep forever")
  bool attempt = false; // an attempt in progress ("I took all the pills")
};

/// Bits summarizing the signals that count; the trajectory combines them
/// across the messages of a session.
namespace feature {
constexpr uint16_t distress = 1 << 0;    // hopelessness
constexpr uint16_t passive = 1 << 1;     // passive ideation
constexpr uint16_t active = 1 << 2;      // active ideation or intent
constexpr uint16_t self_harm = 1 << 3;   // self-harm (non-suicidal or unclear)
constexpr uint16_t harm_others = 1 << 4; // threat to others
constexpr uint16_t means = 1 << 5;       // a method or its means (pills, rope, bridge)
constexpr uint16_t timeline = 1 << 6;    // when (tonight, after the exams)
constexpr uint16_t plan = 1 << 7;        // a plan or preparation
constexpr uint16_t attempt = 1 << 8;     // attempt in progress
constexpr uint16_t floor_low = 1 << 9;   // history, hypothetical or third-party concern
} // namespace feature

struct assessment {
  risk_level level = risk_level::none;
  double score = 0.0; // 0..1, monotone with the level (see levels.hpp)
  std::vector<risk_signal> signals;
  uint16_t features = 0;                     // feature bits of the signals that count
  bool concern_for_other = false;            // the text reports someone else at risk
  risk_level other_level = risk_level::none; // how at risk that someone seems
  bool other_person = false; // someone else is at risk now: the level is high for the writer to act
  bool accident = false;     // an injury with an ordinary cause ("fell off my bike"): not raised

  bool escalate() const { return level >= risk_level::high; }
};

const char* to_string(risk_level x);
const char* to_string(category x);
const char* to_string(modifier x);
bool parse_risk_level(std::string_view s, risk_level& out);
bool parse_category(std::string_view s, category& out);

} // namespace haven::crisis
