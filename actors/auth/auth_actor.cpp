#include "actors/auth/auth_actor.hpp"

#include <caf/all.hpp>
#include <simdjson.h>

#include "actors/auth/auth_flows.hpp"
#include "actors/auth/auth_throttle.hpp"
#include "persistence/redis/redis_client.hpp"

namespace haven::auth {

namespace {

// `<prefix>.cluster.user` {"node","user_id"}: another node changed a user.
void on_user_changed(auth_self self, const bus_message& m) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view id, node;
  if (parser.parse(m.data).get(doc) != simdjson::SUCCESS ||
      doc["user_id"].get_string().get(id) != simdjson::SUCCESS)
    return;
  // Our own echo: the entry is already fresh (erased and re-filled here).
  if (doc["node"].get_string().get(node) == simdjson::SUCCESS && node == self->state.d.cfg->node_id)
    return;
  forget_user(self, std::string{id});
}

auth_actor::behavior_type auth_behavior(auth_self self, auth_deps d) {
  self->state.d = std::move(d);
  auto& st = self->state.d;
  register_script(st.redis, window_script_name, window_script_source());
  register_script(st.redis, reserve_script_name, reserve_script_source());
  register_script(st.redis, release_script_name, release_script_source());
  self->request(st.bus, caf::infinite, subscribe_atom_v, st.cfg->nats_prefix + ".cluster.user",
                std::string{}, caf::actor_cast<bus_listener>(self))
      .then([](bool) {}, [](caf::error&) {}); // NATS down: the cache TTL bounds staleness
  return {
      [self](register_request& r) { return on_register(self, r); },
      [self](login_request& r) { return on_login(self, r); },
      [self](refresh_atom, std::string& token, std::string& addr) {
        return on_refresh(self, token, addr);
      },
      [self](logout_atom, session_ref& s, std::string& token) { return on_logout(self, s, token); },
      [self](me_atom, session_ref& s) { return on_me(self, s); },
      [self](profile_update& u) { return on_update_profile(self, u); },
      [self](pw_reset_atom, std::string& email, std::string& addr, std::string& rid) {
        return on_reset_request(self, email, addr, rid);
      },
      [self](reset_confirm& c) { return on_reset_confirm(self, c); },
      [self](org_atom, session_ref& s) { return on_org(self, s); },
      [self](members_atom, session_ref& s) { return on_members(self, s); },
      [self](invite_atom, session_ref& s, std::string& role) { return on_invite(self, s, role); },
      [self](set_role_atom, session_ref& s, std::string& user_id, std::string& role) {
        return on_set_role(self, s, user_id, role);
      },
      [self](bus_message& m) { on_user_changed(self, m); },
      [self](subscribe_atom, user_listener& l) { self->state.user_listeners.push_back(l); },
  };
}

} // namespace

auth_actor spawn_auth_actor(caf::actor_system& sys, auth_deps deps) {
  return sys.spawn(auth_behavior, std::move(deps));
}

} // namespace haven::auth
