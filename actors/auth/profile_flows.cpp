// GET /v1/auth/me and PATCH /v1/users/me (API.md section 3).
#include <algorithm>
#include <memory>

#include <caf/all.hpp>

#include "actors/auth/auth_flows.hpp"
#include "actors/auth/auth_sql.hpp"
#include "io/json/json_writer.hpp"
#include "messages/errors.hpp"

namespace haven::auth {

user_promise on_me(auth_self self, session_ref& s) {
  auto rp = self->make_response_promise<user_view>();
  load_user(
      self, s.user_id, [rp](user_view& u) { settle(rp, std::move(u)); },
      [rp](caf::error err) { settle(rp, std::move(err)); });
  return rp;
}

namespace {

using update_ptr = std::shared_ptr<profile_update>;

std::string password_changed_data(const std::string& user_id) {
  json::writer w;
  w.begin_object().field("user_id", user_id).field("reason", "password_changed");
  return std::move(w.end_object()).str();
}

// One transaction: the profile change and, with a new password, the revocation
// of every other session (the calling one stays valid) and auth.revoked.
void apply(auth_self self, user_promise rp, update_ptr u, std::string new_hash) {
  auto& c = u->caller;
  auto flag = [](bool b) { return pg_value::of(b ? "true" : "false"); };
  auto opt = [](const std::string& s) { return s.empty() ? pg_value::null() : pg_value::of(s); };
  std::vector<pg_statement> st;
  st.push_back({std::string{"UPDATE users AS u SET "
                            "display_name = CASE WHEN $2::bool THEN $3 ELSE u.display_name END, "
                            "email = CASE WHEN $4::bool THEN $5 ELSE u.email END, "
                            "password_hash = COALESCE($6, u.password_hash) "
                            "WHERE u.id = $1::uuid RETURNING "} +
                    user_columns,
                {pg_value::of(c.user_id), flag(!u->display_name.empty()), opt(u->display_name),
                 flag(!u->email.empty()), opt(u->email), opt(new_hash)}});
  bool password = !new_hash.empty();
  if (password) {
    st.push_back({"UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1::uuid "
                  "AND family_id <> $2::uuid AND revoked_at IS NULL RETURNING family_id::text",
                  {pg_value::of(c.user_id), pg_value::of(c.sid)}});
    st.push_back(event_row(self, "auth.revoked", password_changed_data(c.user_id), c.org_id,
                           c.request_id, c.user_id));
  }
  self->request(self->state.d.pg, store_timeout(self), txn(std::move(st)))
      .then(
          [self, rp, password](std::vector<pg_result>& res) {
            if (res.empty() || res[0].rows.empty())
              return settle(rp, make_error(errc::unauthorized));
            auto view = user_from_row(res[0].rows[0]);
            user_changed(self, view.id);
            self->state.users.put(view, user_cache::clock::now());
            std::vector<std::string> sids;
            if (password) {
              poke_outbox(self);
              for (auto& row : res[1].rows)
                if (std::find(sids.begin(), sids.end(), text_at(row, 0)) == sids.end())
                  sids.push_back(text_at(row, 0));
            }
            revoke(self, sids, {}, 0, [rp, view] { settle(rp, view); });
          },
          [rp](caf::error& err) { settle(rp, map_conflict(std::move(err))); });
}

void change_password(auth_self self, user_promise rp, update_ptr u) {
  run_sql(
      self, rp,
      one("SELECT password_hash FROM users WHERE id = $1::uuid", {pg_value::of(u->caller.user_id)}),
      [self, rp, u](std::vector<pg_result>& res) {
        std::string encoded;
        if (!res.empty() && !res[0].rows.empty())
          encoded = text_at(res[0].rows[0], 0);
        auto& hashers = self->state.d.hashers;
        self->request(hashers, caf::infinite, pw_verify_atom_v, encoded, u->current_password)
            .then(
                [self, rp, u](password_verdict& v) {
                  if (!v.ok)
                    return settle(rp, make_error(errc::invalid_credentials));
                  self->request(self->state.d.hashers, caf::infinite, pw_hash_atom_v, u->password)
                      .then(
                          [self, rp, u](std::string& hash) { apply(self, rp, u, std::move(hash)); },
                          [rp](caf::error& err) { settle(rp, std::move(err)); });
                },
                [rp](caf::error& err) { settle(rp, std::move(err)); });
      });
}

} // namespace

user_promise on_update_profile(auth_self self, profile_update& update) {
  auto rp = self->make_response_promise<user_view>();
  auto u = std::make_shared<profile_update>(std::move(update));
  if (!u->password.empty())
    change_password(self, rp, u);
  else
    apply(self, rp, u, {});
  return rp;
}

} // namespace haven::auth
