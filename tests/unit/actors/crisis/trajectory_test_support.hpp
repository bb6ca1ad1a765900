#pragma once

#include <chrono>

#include "actors/crisis/trajectory.hpp"

// Shared by the trajectory, codec and session-sync tests.

namespace haven::crisis::test {

using tp = trajectory::clock::time_point;

// 2024-04-05T19:21:18.901Z: a realistic wall-clock time, whole milliseconds.
inline const tp t0 = tp{std::chrono::milliseconds{1'712'344'878'901}};

/// A scored message with only a level and feature bits.
inline assessment msg(risk_level level, uint16_t features = 0) {
  assessment a;
  a.level = level;
  a.features = features;
  return a;
}

} // namespace haven::crisis::test
