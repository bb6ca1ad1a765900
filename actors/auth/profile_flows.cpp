// GET /v1/auth/me and PATCH /v1/users/me (API.md section 3).
#include <algorithm>
#include <memory>

#include <caf/all.hpp>

#include "actors/auth/auth_flows.hpp"
#include "actors/auth/auth_sql.hpp"
#include "actors/auth/auth_throttle.hpp"
#include "base/json/json_writer.hpp"
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

// One transaction: the profile change; with an email change or a new
// password, every outstanding reset token is cancelled (L1, M4); with a new
// password, every other session is revoked (family rows first, H2; the
// calling one stays valid) and auth.revoked is written.
void apply(auth_self self, user_promise rp, update_ptr u, std::string new_hash) {
  auto& c = u->caller;
  auto flag = [](bool b) { return pg_value::of(b ? "true" : "false"); };
  std::vector<pg_statement> st;
  st.push_back({std::string{"UPDATE users AS u SET "
                            "display_name = CASE WHEN $2::bool THEN $3 ELSE u.display_name END, "
                            "email = CASE WHEN $4::bool THEN $5 ELSE u.email END, "
                            "password_hash = COALESCE($6, u.password_hash) "
                            "WHERE u.id = $1::uuid RETURNING "} +
                    user_columns,
                {pg_value::of(c.user_id), flag(!u->display_name.empty()),
                 pg_value::nullable(u->display_name), flag(!u->email.empty()),
                 pg_value::nullable(u->email), pg_value::nullable(new_hash)}});
  bool password = !new_hash.empty();
  if (password || !u->email.empty())
    st.push_back({"UPDATE password_resets SET used_at = now() "
                  "WHERE user_id = $1::uuid AND used_at IS NULL",
                  {pg_value::of(c.user_id)}});
  size_t revoked_index = st.size();
  if (password) {
    for (auto& x : revoke_families("f.user_id = $1::uuid AND f.id <> $2::uuid",
                                   {pg_value::of(c.user_id), pg_value::of(c.sid)}))
      st.push_back(std::move(x));
    st.push_back(event_row(self, "auth.revoked", password_changed_data(c.user_id), c.org_id,
                           c.request_id, c.user_id));
  }
  self->request(self->state.d.pg, store_timeout(self), txn(std::move(st)))
      .then(
          [self, rp, password, revoked_index](std::vector<pg_result>& res) {
            if (res.empty() || res[0].rows.empty())
              return settle(rp, make_error(errc::unauthorized));
            auto view = user_from_row(res[0].rows[0]);
            user_changed(self, view.id);
            self->state.users.put(view, user_cache::clock::now());
            std::vector<std::string> sids;
            if (password) {
              poke_outbox(self);
              if (res.size() > revoked_index)
                for (auto& row : res[revoked_index].rows)
                  if (std::find(sids.begin(), sids.end(), text_at(row, 0)) == sids.end())
                    sids.push_back(text_at(row, 0));
            }
            revoke(self, sids, {}, 0, [rp, view] { settle(rp, view); });
          },
          [rp](caf::error& err) { settle(rp, map_conflict(std::move(err))); });
}

void hash_then_apply(auth_self self, user_promise rp, update_ptr u) {
  if (u->password.empty())
    return apply(self, rp, u, {});
  self->request(self->state.d.hashers, caf::infinite, pw_hash_atom_v, u->password)
      .then([self, rp, u](std::string& hash) { apply(self, rp, u, std::move(hash)); },
            [rp](caf::error& err) { settle(rp, std::move(err)); });
}

// current_password is checked like a login password (M4): an attempt is
// reserved on the account's lockout counter first, so guesses here and at
// login share one budget of K per window; a wrong one keeps the reservation.
void check_current_password(auth_self self, user_promise rp, update_ptr u, std::string encoded) {
  auto key = login_account_key(u->caller.user_id);
  reserve_attempt(
      self, {key}, {self->state.d.cfg->login_max_failures_account},
      [self, rp, u, key, encoded] {
        self->request(self->state.d.hashers, caf::infinite, pw_verify_atom_v, encoded,
                      u->current_password)
            .then(
                [self, rp, u, key](password_verdict& v) {
                  if (!v.ok)
                    return settle(rp, make_error(errc::invalid_credentials));
                  release_attempt(self, {}, {key});
                  hash_then_apply(self, rp, u);
                },
                [self, rp, key](caf::error& err) {
                  release_attempt(self, {}, {key});
                  settle(rp, std::move(err));
                });
      },
      [rp](caf::error err) { settle(rp, std::move(err)); });
}

// A new password, or an email replacing the one the account has, needs
// current_password (API.md section 3); adding the first email (upgrading an
// anonymous account) does not.
void check_then_apply(auth_self self, user_promise rp, update_ptr u) {
  run_sql(self, rp,
          one("SELECT password_hash, email FROM users WHERE id = $1::uuid",
              {pg_value::of(u->caller.user_id)}),
          [self, rp, u](std::vector<pg_result>& res) {
            if (res.empty() || res[0].rows.empty())
              return settle(rp, make_error(errc::unauthorized));
            auto encoded = text_at(res[0].rows[0], 0);
            bool has_email = !text_at(res[0].rows[0], 1).empty();
            if (u->current_password.empty() && (!u->password.empty() || has_email))
              return settle(
                  rp, make_validation_error("current_password: is required to change the email or "
                                            "password",
                                            {{"current_password", "required"}}));
            if (u->current_password.empty())
              return apply(self, rp, u, {});
            check_current_password(self, rp, u, std::move(encoded));
          });
}

} // namespace

user_promise on_update_profile(auth_self self, profile_update& update) {
  auto rp = self->make_response_promise<user_view>();
  auto u = std::make_shared<profile_update>(std::move(update));
  if (!u->password.empty() || !u->email.empty() || !u->current_password.empty())
    check_then_apply(self, rp, u);
  else
    apply(self, rp, u, {});
  return rp;
}

} // namespace haven::auth
