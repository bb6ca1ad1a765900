// POST /v1/auth/refresh and POST /v1/auth/logout (API.md section 3).
#include <algorithm>
#include <memory>

#include <caf/all.hpp>

#include "actors/auth/auth_flows.hpp"
#include "actors/auth/auth_sql.hpp"
#include "actors/auth/refresh_rules.hpp"
#include "actors/auth/refresh_tokens.hpp"
#include "io/json/json_writer.hpp"
#include "messages/errors.hpp"

namespace haven::auth {

namespace {

std::string revoked_data(const std::string& user_id, const std::string& sid,
                         std::string_view reason) {
  json::writer w;
  w.begin_object().field("user_id", user_id);
  if (!sid.empty())
    w.field("sid", sid);
  w.field("reason", reason);
  return std::move(w.end_object()).str();
}

// A rotated token came back: revoke the whole family (newest token included)
// in PostgreSQL and its access tokens everywhere, then answer 401.
void revoke_family(auth_self self, grant_promise rp, std::string sid, std::string user_id) {
  std::vector<pg_statement> st;
  st.push_back({"UPDATE refresh_tokens SET revoked_at = now() "
                "WHERE family_id = $1::uuid AND revoked_at IS NULL",
                {pg_value::of(sid)}});
  st.push_back(event_row(self, "auth.revoked", revoked_data(user_id, sid, "refresh_token_reuse"),
                         {}, {}, user_id));
  auto fail = [rp] { settle(rp, make_error(errc::unauthorized, "refresh token reused")); };
  self->request(self->state.d.pg, store_timeout(self), txn(std::move(st)))
      .then(
          [self, sid, fail](std::vector<pg_result>&) {
            poke_outbox(self);
            revoke(self, {sid}, {}, 0, fail);
          },
          [self, sid, fail](caf::error&) { revoke(self, {sid}, {}, 0, fail); });
}

void judge(auth_self self, grant_promise rp, const std::string& hash) {
  run_sql(
      self, rp,
      one("SELECT family_id::text, user_id::text, rotated_at IS NOT NULL, "
          "revoked_at IS NOT NULL, expires_at <= now() FROM refresh_tokens WHERE token_hash = $1",
          {pg_value::of(hash)}),
      [self, rp](std::vector<pg_result>& res) {
        refresh_row row;
        std::string sid, user_id;
        if (!res.empty() && !res[0].rows.empty()) {
          auto& r = res[0].rows[0];
          row = {true, text_at(r, 2) == "t", text_at(r, 3) == "t", text_at(r, 4) == "t"};
          sid = text_at(r, 0);
          user_id = text_at(r, 1);
        }
        if (judge_refresh(row) == refresh_verdict::reject_and_revoke_family)
          return revoke_family(self, rp, sid, user_id);
        settle(rp, make_error(errc::unauthorized, "invalid refresh token"));
      });
}

} // namespace

grant_promise on_refresh(auth_self self, std::string& refresh_token) {
  auto rp = self->make_response_promise<token_grant>();
  if (!looks_like_opaque_token(refresh_token)) {
    settle(rp, make_error(errc::unauthorized, "invalid refresh token"));
    return rp;
  }
  auto hash = token_hash(refresh_token);
  auto next = new_opaque_token();
  // Claim and replace the token in one statement: of two concurrent uses
  // exactly one rotates; the other finds it rotated (reuse).
  auto sql = "WITH old AS (UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = $1 "
             "AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > now() "
             "RETURNING family_id, user_id) "
             "INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) "
             "SELECT $2, family_id, user_id, now() + $3::int * interval '1 second' FROM old "
             "RETURNING family_id::text, user_id::text";
  run_sql(
      self, rp,
      one(sql, {pg_value::of(hash), pg_value::of(next.hash),
                pg_value::of(std::to_string(self->state.d.cfg->refresh_ttl_s))}),
      [self, rp, hash, token = next.token](std::vector<pg_result>& res) {
        if (res.empty() || res[0].rows.empty())
          return judge(self, rp, hash);
        auto sid = text_at(res[0].rows[0], 0);
        load_user(
            self, text_at(res[0].rows[0], 1),
            [self, rp, sid, token](user_view& u) { settle(rp, make_grant(self, u, sid, token)); },
            [rp](caf::error err) { settle(rp, std::move(err)); });
      });
  return rp;
}

done_promise on_logout(auth_self self, session_ref& s, std::string& refresh_token) {
  auto rp = self->make_response_promise<bool>();
  // Refuse the access token everywhere first: even if PostgreSQL is down, the
  // token stops working; PostgreSQL then stops the refresh family.
  revoke(self, {s.sid}, s.jti, s.exp, [self, rp, s, refresh = refresh_token] {
    std::vector<pg_statement> st;
    st.push_back({"UPDATE refresh_tokens SET revoked_at = now() "
                  "WHERE family_id = $1::uuid AND revoked_at IS NULL",
                  {pg_value::of(s.sid)}});
    bool other = looks_like_opaque_token(refresh);
    if (other)
      st.push_back({"UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND "
                    "family_id IN (SELECT family_id FROM refresh_tokens WHERE token_hash = $1 "
                    "AND user_id = $2::uuid) RETURNING family_id::text",
                    {pg_value::of(token_hash(refresh)), pg_value::of(s.user_id)}});
    st.push_back(event_row(self, "auth.revoked", revoked_data(s.user_id, s.sid, "logout"), s.org_id,
                           s.request_id, s.user_id));
    run_sql(self, rp, txn(std::move(st)), [self, rp, s, other](std::vector<pg_result>& res) {
      poke_outbox(self);
      std::vector<std::string> sids;
      if (other && res.size() > 1)
        for (auto& row : res[1].rows)
          if (auto& f = text_at(row, 0);
              f != s.sid && std::find(sids.begin(), sids.end(), f) == sids.end())
            sids.push_back(f);
      revoke(self, sids, {}, 0, [rp] { settle(rp, true); });
    });
  });
  return rp;
}

} // namespace haven::auth
