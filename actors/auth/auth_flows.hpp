#pragma once

#include <string>
#include <vector>

#include <caf/typed_response_promise.hpp>

#include "actors/auth/auth_state.hpp"

// The auth actor's request flows (internal). Each returns the promise it
// fulfils once the stores answered; none blocks.

namespace haven::auth {

using grant_promise = caf::typed_response_promise<token_grant>;
using user_promise = caf::typed_response_promise<user_view>;
using done_promise = caf::typed_response_promise<bool>;

// account_flows.cpp
grant_promise on_register(auth_self self, register_request& req);
grant_promise on_login(auth_self self, login_request& req);

// session_flows.cpp
grant_promise on_refresh(auth_self self, std::string& refresh_token, std::string& client_addr);
done_promise on_logout(auth_self self, session_ref& s, std::string& refresh_token);

// profile_flows.cpp
user_promise on_me(auth_self self, session_ref& s);
user_promise on_update_profile(auth_self self, profile_update& u);

// reset_flows.cpp
done_promise on_reset_request(auth_self self, std::string& email, std::string& addr,
                              std::string& request_id);
done_promise on_reset_confirm(auth_self self, reset_confirm& c);

// org_flows.cpp
caf::typed_response_promise<org_view> on_org(auth_self self, session_ref& s);
caf::typed_response_promise<std::vector<user_view>> on_members(auth_self self, session_ref& s);
caf::typed_response_promise<invite_view> on_invite(auth_self self, session_ref& s,
                                                   std::string& role);
user_promise on_set_role(auth_self self, session_ref& s, std::string& user_id, std::string& role);

} // namespace haven::auth
