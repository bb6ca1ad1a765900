#pragma once

#include <string>
#include <vector>

#include "base/json/json_writer.hpp"
#include "messages/auth.hpp"

// JSON shapes of API.md section 3 (USER, TOKENS, org, invite).

namespace haven::auth {

void write_user(json::writer& w, const user_view& u);
std::string user_body(const user_view& u);     // {"user": USER}
std::string tokens_body(const token_grant& g); // TOKENS
std::string org_body(const org_view& o);       // {"org": {…}}
std::string members_body(const std::vector<user_view>& members);
std::string invite_body(const invite_view& i);

} // namespace haven::auth
