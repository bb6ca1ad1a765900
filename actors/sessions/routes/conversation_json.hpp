#pragma once

#include <string>
#include <vector>

#include "messages/sessions.hpp"

// JSON shapes of API.md section 5's conversation answers.

namespace haven::sessions {

/// {"session_id","message_id","reply":{"text","source"},
///  "safety":{"action","categories":[{"name","score"}]},
///  "crisis":{"risk_level","score","escalate","resources":[…],"event_id"}}
/// (`other_person: true` in crisis only when someone else is at risk now).
std::string chat_body(const chat_result& r);

/// {"sessions":[{"id","created_at","last_message_at","message_count","max_risk_level"}]}
std::string sessions_body(const std::vector<session_summary>& s);

/// {"messages":[{"id","role","text","created_at"}]}
std::string messages_body(const std::vector<message_view>& m);

} // namespace haven::sessions
