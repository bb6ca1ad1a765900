#pragma once

#include <string>
#include <vector>

#include "base/json/json_writer.hpp"
#include "messages/safety.hpp"

// JSON shapes of API.md section 4's crisis answers.

namespace haven::crisis {

/// {"risk_level","score","signals":[…],"escalate","resources":[…],"event_id"}:
/// empty phone/url are left out, an empty event_id is null.
std::string detect_body(const crisis_detect_result& r);
/// The same with the `resources` array already encoded (r.resources unused).
std::string detect_body_with(const crisis_detect_result& r, std::string_view resources_array);
/// [{"name","phone"?,"url"?,"locale"}…]
std::string resources_json(const std::vector<crisis_resource_view>& resources);

/// One event: {"id","user_id","session_id","risk_level","score","created_at",
/// "status","acknowledged_by"?} (session_id null when absent; acknowledged_by
/// only once acknowledged).
void write_event(json::writer& w, const crisis_event_view& e);
std::string events_body(const std::vector<crisis_event_view>& events); // {"events":[…]}
std::string event_body(const crisis_event_view& e);                    // {"event":{…}}

} // namespace haven::crisis
