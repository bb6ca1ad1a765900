#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "actors/sessions/fallback.hpp"
#include "actors/sessions/provider.hpp"
#include "messages/safety.hpp"

// Pure rules of a chat turn's reply (docs/conversations.md "The pipeline"),
// kept apart from the session actor so they are unit-tested alone.

namespace haven::sessions {

/// 0 none .. 4 critical from a crisis answer's risk_level.
int level_rank(std::string_view risk_level);

/// High or critical: the reply must name a crisis line.
inline bool needs_resources(int level) {
  return level >= 3;
}

/// The fallback's reply to a turn: the template of the message's risk level,
/// or for blocked input the "blocked" one, except at high/critical where the
/// level's template (which names the lines) wins.
std::string fallback_reply(const fallback_templates& t, std::string_view locale, int level,
                           bool blocked, size_t variant,
                           const std::vector<crisis_resource_view>& resources);

/// `text`, plus the locale's "resources" sentence when the level needs the
/// crisis lines and `text` names none of them.
std::string with_resources(std::string text, const fallback_templates& t, std::string_view locale,
                           int level, const std::vector<crisis_resource_view>& resources);

/// The system prompt of a provider call: a supportive, non-clinical listener
/// that answers in the user's language; at medium and above it is told to
/// point to the crisis lines given.
std::string system_prompt(std::string_view locale, int level,
                          const std::vector<crisis_resource_view>& resources);

/// One earlier message of the session, opened (provider history).
struct history_item {
  std::string role, text;
};

/// System prompt, the earlier messages oldest first (`newest_first` as
/// listed), then the user's message. History is bounded by the caller (the
/// last few messages) and by `max_history_bytes` here (oldest dropped first).
std::vector<provider_message> provider_messages(std::string prompt,
                                                const std::vector<history_item>& newest_first,
                                                std::string user_text,
                                                size_t max_history_bytes = 16 * 1024);

} // namespace haven::sessions
