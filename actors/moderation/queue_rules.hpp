#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/moderation/moderator.hpp"
#include "messages/safety.hpp"

// Pure rules of the moderation endpoints (API.md section 4): the answer's
// shape, the review queue's filters and decisions. Unit-tested alone.

namespace haven::moderation {

/// The API answer of validate (scores rounded to 3 decimals, highest first).
moderation_result make_result(const validation& v);

/// GET /v1/moderation/queue?status=…: "pending" (also absent or empty),
/// "approved", "removed" or "all"; anything else nullopt (422).
std::optional<std::string> parse_queue_filter(std::optional<std::string_view> raw);

/// "approve" -> "approved", "remove" -> "removed", anything else nullopt (422).
std::optional<std::string> status_for_decision(std::string_view decision);

/// [{"name","score"},…] as stored in moderation_items.categories and sent.
std::string categories_json(const std::vector<category_score>& cats);

/// Parses categories_json's output back (unknown shapes give an empty list).
std::vector<category_score> parse_categories(std::string_view json);

} // namespace haven::moderation
