// POST /v1/auth/register and POST /v1/auth/login (API.md section 3).
#include <memory>

#include <caf/all.hpp>

#include "actors/auth/auth_flows.hpp"
#include "actors/auth/auth_sql.hpp"
#include "actors/auth/auth_throttle.hpp"
#include "actors/auth/refresh_tokens.hpp"
#include "actors/auth/user_handles.hpp"
#include "base/json/json_writer.hpp"
#include "messages/errors.hpp"

namespace haven::auth {

namespace {

constexpr int max_handle_draws = 5;

struct registration {
  register_request req;
  std::string invite_hash, invite_org, invite_role;
  std::string password_hash;
  int draws = 0;
};
using reg_ptr = std::shared_ptr<registration>;

std::string registered_data(const std::string& user_id, bool anonymous, const std::string& role) {
  json::writer w;
  w.begin_object().field("user_id", user_id).field("anonymous", anonymous).field("role", role);
  return std::move(w.end_object()).str();
}

// One transaction: organization (if any), user, invite use, first session,
// user.registered. A handle collision draws a new handle and tries again.
void insert_user(auth_self self, grant_promise rp, reg_ptr r) {
  auto user_id = new_uuid();
  auto sid = new_uuid();
  auto refresh = new_opaque_token();
  std::string role = "user";
  std::string org_id;
  std::vector<pg_statement> st;
  if (!r->req.org_slug.empty()) {
    org_id = new_uuid();
    role = "admin";
    st.push_back(
        {"INSERT INTO organizations (id, name, slug) VALUES ($1::uuid, $2, $3)",
         {pg_value::of(org_id), pg_value::of(r->req.org_name), pg_value::of(r->req.org_slug)}});
  } else if (!r->invite_hash.empty()) {
    org_id = r->invite_org;
    role = r->invite_role;
  }
  size_t user_index = st.size();
  st.push_back(
      {std::string{"INSERT INTO users AS u (id, email, handle, display_name, password_hash, "
                   "role, tier, org_id, invite_code_hash) VALUES ($1::uuid, $2, $3, $4, $5, "
                   "$6, 'free', $7::uuid, $8) RETURNING "} +
           user_columns,
       {pg_value::of(user_id), pg_value::nullable(r->req.email), pg_value::of(random_handle()),
        pg_value::nullable(r->req.display_name), pg_value::of(r->password_hash), pg_value::of(role),
        pg_value::nullable(org_id), pg_value::nullable(r->invite_hash)}});
  if (!r->invite_hash.empty())
    st.push_back({"UPDATE org_invites SET used_at = now(), used_by = $1::uuid "
                  "WHERE code_hash = $2 AND used_at IS NULL",
                  {pg_value::of(user_id), pg_value::of(r->invite_hash)}});
  st.push_back(refresh_insert(self, refresh.hash, sid, user_id));
  st.push_back(event_row(self, "user.registered",
                         registered_data(user_id, r->req.email.empty(), role), org_id,
                         r->req.request_id, user_id));
  self->request(self->state.d.pg, store_timeout(self), txn(std::move(st)))
      .then(
          [self, rp, user_index, sid, token = refresh.token](std::vector<pg_result>& res) mutable {
            if (res.size() <= user_index || res[user_index].rows.empty())
              return settle(rp, make_error(errc::internal, "registration returned no user"));
            poke_outbox(self);
            auto u = user_from_row(res[user_index].rows[0]);
            self->state.users.put(u, user_cache::clock::now());
            settle(rp, make_grant(self, u, sid, std::move(token)));
          },
          [self, rp, r](caf::error& err) mutable {
            if (conflict_constraint(err) == "users_handle_key" && ++r->draws < max_handle_draws)
              return insert_user(self, rp, r);
            settle(rp, map_conflict(std::move(err)));
          });
}

void hash_then_insert(auth_self self, grant_promise rp, reg_ptr r) {
  self->request(self->state.d.hashers, caf::infinite, pw_hash_atom_v, r->req.password)
      .then(
          [self, rp, r](std::string& encoded) mutable {
            r->req.password.clear();
            r->password_hash = std::move(encoded);
            insert_user(self, rp, r);
          },
          [rp](caf::error& err) mutable { settle(rp, std::move(err)); });
}

// An invite code must exist, be unused and unexpired before we spend a hash
// on it; the users_invite_code_hash_key constraint settles races.
void check_invite(auth_self self, grant_promise rp, reg_ptr r) {
  r->invite_hash = token_hash(r->req.invite_code);
  run_sql(self, rp,
          one("SELECT org_id::text, role, used_at IS NOT NULL, expires_at <= now() "
              "FROM org_invites WHERE code_hash = $1",
              {pg_value::of(r->invite_hash)}),
          [self, rp, r](std::vector<pg_result>& res) mutable {
            if (res.empty() || res[0].rows.empty() || text_at(res[0].rows[0], 3) == "t")
              return settle(rp, make_validation_error("invite_code: unknown or expired",
                                                      {{"invite_code", "invalid"}}));
            if (text_at(res[0].rows[0], 2) == "t")
              return settle(rp, make_error(errc::invite_used));
            r->invite_org = text_at(res[0].rows[0], 0);
            r->invite_role = text_at(res[0].rows[0], 1);
            hash_then_insert(self, rp, r);
          });
}

} // namespace

grant_promise on_register(auth_self self, register_request& req) {
  auto rp = self->make_response_promise<token_grant>();
  auto r = std::make_shared<registration>();
  r->req = std::move(req);
  auto key = throttle_key("register", r->req.client_addr);
  count_attempt(
      self, key, self->state.d.cfg->auth_addr_limit,
      [self, rp, r]() mutable {
        if (!r->req.invite_code.empty())
          return check_invite(self, rp, r);
        hash_then_insert(self, rp, r);
      },
      [rp](caf::error err) mutable { settle(rp, std::move(err)); });
  return rp;
}

namespace {

struct login_attempt {
  login_request req;
  user_view user;
  std::string encoded; // empty: unknown account (verified against the dummy hash)
  std::string account_key, addr_key;
};
using login_ptr = std::shared_ptr<login_attempt>;

// The session, and the USER view the token is made from, read after the
// insert in the same transaction while the user row is share-locked: a role
// change that committed while the password was verified is in the token, and
// one that commits later revokes this session (it waits for our lock).
void start_session(auth_self self, grant_promise rp, login_ptr l) {
  auto sid = new_uuid();
  auto refresh = new_opaque_token();
  std::vector<pg_statement> st;
  st.push_back(refresh_insert(self, refresh.hash, sid, l->user.id, l->encoded));
  st.push_back({std::string{"SELECT "} + user_columns + " FROM users u WHERE u.id = $1::uuid",
                {pg_value::of(l->user.id)}});
  run_sql(self, rp, txn(std::move(st)),
          [self, rp, l, sid, token = refresh.token](std::vector<pg_result>& res) mutable {
            // The password was changed or reset while we verified the old one.
            if (res.size() < 2 || res[0].affected == 0 || res[1].rows.empty())
              return settle(rp, make_error(errc::invalid_credentials));
            settle(rp, make_grant(self, user_from_row(res[1].rows[0]), sid, std::move(token)));
          });
}

// Parameters changed since this hash was made: store a new one. Best effort:
// the login has already succeeded and does not wait for this. The UPDATE only
// replaces the hash that was verified, so a password changed or reset in the
// meantime is never overwritten with the old password.
void rehash(auth_self self, const std::string& user_id, std::string old_hash,
            std::string password) {
  self->request(self->state.d.hashers, caf::infinite, pw_hash_atom_v, std::move(password))
      .then(
          [self, user_id, old_hash](std::string& encoded) {
            self->request(
                    self->state.d.pg, store_timeout(self),
                    one("UPDATE users SET password_hash = $2 "
                        "WHERE id = $1::uuid AND password_hash = $3",
                        {pg_value::of(user_id), pg_value::of(encoded), pg_value::of(old_hash)}))
                .then([](std::vector<pg_result>&) {}, [](caf::error&) {});
          },
          [](caf::error&) {});
}

// Runs only with a reservation held on the account and the address: a wrong
// password keeps it (it was a failure), a right one gives both back (and
// resets the account), a verify that did not happen (full pool) gives both back.
void verify(auth_self self, grant_promise rp, login_ptr l) {
  self->request(self->state.d.hashers, caf::infinite, pw_verify_atom_v, l->encoded, l->req.password)
      .then(
          [self, rp, l](password_verdict& v) mutable {
            if (!v.ok)
              return settle(rp, make_error(errc::invalid_credentials));
            release_attempt(self, {l->account_key}, {l->addr_key});
            if (v.needs_rehash)
              rehash(self, l->user.id, l->encoded, l->req.password);
            l->req.password.clear();
            start_session(self, rp, l);
          },
          [self, rp, l](caf::error& err) mutable {
            release_attempt(self, {}, {l->account_key, l->addr_key});
            settle(rp, std::move(err));
          });
}

// The user lookup, then the reservation on (account, address), then verify.
void look_up_and_reserve(auth_self self, grant_promise rp, login_ptr l) {
  bool by_email = !l->req.email.empty();
  const std::string& name = by_email ? l->req.email : l->req.handle;
  std::string sql = std::string{"SELECT "} + user_columns +
                    ", u.password_hash FROM users u WHERE " +
                    (by_email ? "u.email = $1" : "u.handle = $1");
  run_sql(self, rp, one(std::move(sql), {pg_value::of(name)}),
          [self, rp, l, name_hash = token_hash(name)](std::vector<pg_result>& res) mutable {
            if (!res.empty() && !res[0].rows.empty()) {
              l->user = user_from_row(res[0].rows[0]);
              l->encoded = text_at(res[0].rows[0], user_column_count);
            }
            // Unknown names get their own counter too, so both cases behave alike.
            l->account_key = login_account_key(l->encoded.empty() ? "n:" + name_hash : l->user.id);
            auto& cfg = *self->state.d.cfg;
            reserve_attempt(
                self, {l->account_key, l->addr_key},
                {cfg.login_max_failures_account, cfg.login_max_failures_addr},
                [self, rp, l]() mutable { verify(self, rp, l); },
                [rp](caf::error err) mutable { settle(rp, std::move(err)); });
          });
}

} // namespace

grant_promise on_login(auth_self self, login_request& req) {
  auto rp = self->make_response_promise<token_grant>();
  auto l = std::make_shared<login_attempt>();
  l->req = std::move(req);
  l->addr_key = login_addr_key(l->req.client_addr);
  // The address first (M5): a locked address costs no PostgreSQL query.
  check_limit(
      self, l->addr_key, self->state.d.cfg->login_max_failures_addr,
      [self, rp, l]() mutable { look_up_and_reserve(self, rp, l); },
      [rp](caf::error err) mutable { settle(rp, std::move(err)); });
  return rp;
}

} // namespace haven::auth
