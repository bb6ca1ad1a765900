#pragma once

#include <string>
#include <vector>

#include "base/json/json_writer.hpp"
#include "messages/safety.hpp"

// JSON shapes of API.md section 4's moderation answers.

namespace haven::moderation::json_shapes {

/// {"allowed","action","categories":[{"name","score"}],"text"}
std::string validate_body(const moderation_result& r);

/// {"id","user_id","direction","categories","action","created_at","status"}
void write_item(json::writer& w, const moderation_item_view& i);
std::string items_body(const std::vector<moderation_item_view>& items); // {"items":[…]}
std::string item_body(const moderation_item_view& i);                   // {"item":{…}}

} // namespace haven::moderation::json_shapes
