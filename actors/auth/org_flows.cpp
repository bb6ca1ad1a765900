// /v1/orgs/current… (API.md section 3). The edge already checked the caller's
// organization and role from the token; mutations re-check the caller's role
// in PostgreSQL (a token keeps an old role for up to its TTL).
#include <caf/all.hpp>

#include "actors/auth/auth_flows.hpp"
#include "actors/auth/auth_sql.hpp"
#include "actors/auth/refresh_tokens.hpp"
#include "base/json/json_writer.hpp"
#include "messages/errors.hpp"

namespace haven::auth {

namespace {

constexpr int64_t invite_ttl_s = 7 * 24 * 3600;
constexpr const char* max_members = "1000";

} // namespace

caf::typed_response_promise<org_view> on_org(auth_self self, session_ref& s) {
  auto rp = self->make_response_promise<org_view>();
  if (s.org_id.empty()) {
    settle(rp, make_error(errc::not_found, "no organization"));
    return rp;
  }
  run_sql(self, rp,
          one("SELECT id::text, name, slug, " + rfc3339_sql("created_at") +
                  " FROM organizations WHERE id = $1::uuid",
              {pg_value::of(s.org_id)}),
          [rp](std::vector<pg_result>& res) {
            if (res.empty() || res[0].rows.empty())
              return settle(rp, make_error(errc::not_found, "no organization"));
            auto& r = res[0].rows[0];
            settle(rp, org_view{text_at(r, 0), text_at(r, 1), text_at(r, 2), text_at(r, 3)});
          });
  return rp;
}

caf::typed_response_promise<std::vector<user_view>> on_members(auth_self self, session_ref& s) {
  auto rp = self->make_response_promise<std::vector<user_view>>();
  // The caller's role as PostgreSQL has it now, not as the token says (L2):
  // a demoted admin stops reading member emails at once.
  pg_batch b;
  b.statements.push_back({"SELECT 1 FROM users WHERE id = $1::uuid AND org_id = $2::uuid "
                          "AND role = 'admin'",
                          {pg_value::of(s.user_id), pg_value::of(s.org_id)}});
  b.statements.push_back(
      {std::string{"SELECT "} + user_columns +
           " FROM users u WHERE u.org_id = $1::uuid AND EXISTS (SELECT 1 FROM users a WHERE "
           "a.id = $2::uuid AND a.org_id = $1::uuid AND a.role = 'admin') "
           "ORDER BY u.created_at, u.id LIMIT " +
           max_members,
       {pg_value::of(s.org_id), pg_value::of(s.user_id)}});
  run_sql(self, rp, std::move(b), [rp](std::vector<pg_result>& res) {
    if (res.size() < 2 || res[0].rows.empty())
      return settle(rp, make_error(errc::forbidden));
    std::vector<user_view> out;
    for (auto& row : res[1].rows)
      out.push_back(user_from_row(row));
    settle(rp, std::move(out));
  });
  return rp;
}

caf::typed_response_promise<invite_view> on_invite(auth_self self, session_ref& s,
                                                   std::string& role) {
  auto rp = self->make_response_promise<invite_view>();
  auto code = new_opaque_token();
  auto expires_at = rfc3339_in(invite_ttl_s);
  run_sql(
      self, rp,
      one("INSERT INTO org_invites (code_hash, org_id, role, expires_at, created_by) "
          "SELECT $1, $2::uuid, $3, $4::timestamptz, $5::uuid WHERE EXISTS (SELECT 1 FROM users "
          "WHERE id = $5::uuid AND org_id = $2::uuid AND role = 'admin')",
          {pg_value::of(code.hash), pg_value::of(s.org_id), pg_value::of(role),
           pg_value::of(expires_at), pg_value::of(s.user_id)}),
      [rp, token = code.token, role, expires_at](std::vector<pg_result>& res) {
        if (res.empty() || res[0].affected == 0)
          return settle(rp, make_error(errc::forbidden));
        settle(rp, invite_view{token, role, expires_at});
      });
  return rp;
}

namespace {

int role_rank(const std::string& role) {
  return role == "admin" ? 3 : role == "counselor" ? 2 : 1;
}

std::string role_changed_data(const std::string& user_id) {
  json::writer w;
  w.begin_object().field("user_id", user_id).field("reason", "role_changed");
  return std::move(w.end_object()).str();
}

// L2: a member who lost rights loses every session (family rows first, H2),
// and its access tokens are refused everywhere within a second; the next
// login carries the new role. Staff lists that trust the token's role
// (crisis events, moderation queue) thus never serve a demoted member for
// longer than the revocation takes. Answers once the edges have it.
void revoke_demoted(auth_self self, user_promise rp, user_view u, std::string request_id) {
  auto st = revoke_families("f.user_id = $1::uuid", {pg_value::of(u.id)});
  st.push_back(event_row(self, "auth.revoked", role_changed_data(u.id), u.org_id,
                         std::move(request_id), u.id));
  self->request(self->state.d.pg, store_timeout(self), txn(std::move(st)))
      .then(
          [self, rp, u](std::vector<pg_result>& res) {
            poke_outbox(self);
            std::vector<std::string> sids;
            if (!res.empty())
              for (auto& row : res[0].rows)
                sids.push_back(text_at(row, 0));
            revoke(self, sids, {}, 0, [rp, u] { settle(rp, u); });
          },
          [rp](caf::error& err) { settle(rp, map_conflict(std::move(err))); });
}

} // namespace

user_promise on_set_role(auth_self self, session_ref& s, std::string& user_id, std::string& role) {
  auto rp = self->make_response_promise<user_view>();
  // Matches only a member of the caller's own organization: anyone else is 404.
  run_sql(
      self, rp,
      one(std::string{"WITH old AS (SELECT id, role FROM users WHERE id = $2::uuid AND "
                      "org_id = $3::uuid FOR UPDATE) "
                      "UPDATE users AS u SET role = $1 FROM old WHERE u.id = old.id AND "
                      "EXISTS (SELECT 1 FROM users a WHERE "
                      "a.id = $4::uuid AND a.org_id = $3::uuid AND a.role = 'admin') RETURNING "} +
              user_columns + ", old.role",
          {pg_value::of(role), pg_value::of(user_id), pg_value::of(s.org_id),
           pg_value::of(s.user_id)}),
      [self, rp, rid = s.request_id](std::vector<pg_result>& res) {
        if (res.empty() || res[0].rows.empty())
          return settle(rp, make_error(errc::not_found));
        auto u = user_from_row(res[0].rows[0]);
        auto before = text_at(res[0].rows[0], user_column_count);
        user_changed(self, u.id);
        self->state.users.put(u, user_cache::clock::now());
        if (role_rank(u.role) < role_rank(before))
          return revoke_demoted(self, rp, std::move(u), rid);
        settle(rp, std::move(u));
      });
  return rp;
}

} // namespace haven::auth
