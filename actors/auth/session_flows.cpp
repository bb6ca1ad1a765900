// POST /v1/auth/refresh and POST /v1/auth/logout (API.md section 3).
#include <algorithm>
#include <memory>

#include <caf/all.hpp>

#include "actors/auth/auth_flows.hpp"
#include "actors/auth/auth_gate.hpp"
#include "actors/auth/auth_sql.hpp"
#include "actors/auth/auth_throttle.hpp"
#include "actors/auth/refresh_rules.hpp"
#include "actors/auth/refresh_tokens.hpp"
#include "base/json/json_writer.hpp"
#include "base/log/log.hpp"
#include "messages/errors.hpp"
#include "persistence/redis/redis_key.hpp"

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
  auto st = revoke_families("f.id = $1::uuid", {pg_value::of(sid)});
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

std::string revoked_sid_key(const std::string& sid) {
  return redis_key("revoked", "sid:" + sid);
}

struct refresh_attempt {
  std::string hash, addr_key;
  std::string sid, user_id;
};
using refresh_ptr = std::shared_ptr<refresh_attempt>;

void refuse(auth_self self, grant_promise rp, const refresh_ptr& r,
            const char* why = "invalid refresh token") {
  record_failure(self, r->addr_key); // M5: failed refreshes count per address
  settle(rp, make_error(errc::unauthorized, why));
}

// The presented token's row and its family's state.
pg_batch read_token(const std::string& hash) {
  return one("SELECT t.family_id::text, t.user_id::text, t.rotated_at IS NOT NULL, "
             "t.revoked_at IS NOT NULL OR f.revoked_at IS NOT NULL, "
             "t.expires_at <= now() OR f.expires_at <= now() "
             "FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id "
             "WHERE t.token_hash = $1",
             {pg_value::of(hash)});
}

// Reads the row and judges it; `rotate` runs for a token that may rotate.
template <class F>
void judge(auth_self self, grant_promise rp, refresh_ptr r, F rotate) {
  run_sql(self, rp, read_token(r->hash),
          [self, rp, r, rotate](std::vector<pg_result>& res) mutable {
            refresh_row row;
            if (!res.empty() && !res[0].rows.empty()) {
              auto& x = res[0].rows[0];
              row = {true, text_at(x, 2) == "t", text_at(x, 3) == "t", text_at(x, 4) == "t"};
              r->sid = text_at(x, 0);
              r->user_id = text_at(x, 1);
            }
            switch (judge_refresh(row)) {
              case refresh_verdict::rotate:
                return rotate();
              case refresh_verdict::reject_and_revoke_family:
                record_failure(self, r->addr_key);
                return revoke_family(self, rp, r->sid, r->user_id);
              case refresh_verdict::reject:
                break;
            }
            refuse(self, rp, r);
          });
}

// Rotation: one statement that first locks the family row (FOR UPDATE; it
// waits for a revocation in progress and then sees it), then claims the
// presented token, then inserts its successor, which never outlives the
// family. Of two uses of one token exactly one rotates.
void rotate(auth_self self, grant_promise rp, refresh_ptr r) {
  auto next = new_opaque_token();
  auto sql = "WITH f AS (SELECT id, expires_at FROM refresh_families WHERE id = $4::uuid "
             "AND revoked_at IS NULL AND expires_at > now() FOR UPDATE), "
             "old AS (UPDATE refresh_tokens t SET rotated_at = now() FROM f "
             "WHERE t.token_hash = $1 AND t.family_id = f.id AND t.rotated_at IS NULL "
             "AND t.revoked_at IS NULL AND t.expires_at > now() "
             "RETURNING t.family_id, t.user_id, f.expires_at AS family_end) "
             "INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) "
             "SELECT $2, family_id, user_id, "
             "LEAST(now() + $3::int * interval '1 second', family_end) FROM old "
             "RETURNING family_id::text, user_id::text";
  run_sql(
      self, rp,
      one(sql,
          {pg_value::of(r->hash), pg_value::of(next.hash),
           pg_value::of(std::to_string(self->state.d.cfg->refresh_ttl_s)), pg_value::of(r->sid)}),
      [self, rp, r, token = next.token](std::vector<pg_result>& res) {
        if (res.empty() || res[0].rows.empty()) // lost a race: judge the row as it is now
          return judge(self, rp, r, [self, rp, r] { refuse(self, rp, r); });
        auto sid = text_at(res[0].rows[0], 0);
        load_user(
            self, text_at(res[0].rows[0], 1),
            [self, rp, sid, token](user_view& u) { settle(rp, make_grant(self, u, sid, token)); },
            [rp](caf::error err) { settle(rp, std::move(err)); });
      });
}

// The backstop: a session whose sid is in the revoked set never refreshes,
// whatever PostgreSQL says (a logout whose PostgreSQL update failed leaves a
// long-lived entry there, L5). The family is then revoked in PostgreSQL too.
// Redis unreachable: PostgreSQL alone decides.
void check_sid_then_rotate(auth_self self, grant_promise rp, refresh_ptr r) {
  std::vector<redis_command> cmds{{{"EXISTS", revoked_sid_key(r->sid)}}};
  self->request(self->state.d.redis, store_timeout(self), std::move(cmds))
      .then(
          [self, rp, r](std::vector<redis_reply>& rep) {
            if (rep.size() == 1 && rep[0].kind == redis_reply::integer_kind && rep[0].integer > 0) {
              self->request(self->state.d.pg, store_timeout(self),
                            txn(revoke_families("f.id = $1::uuid", {pg_value::of(r->sid)})))
                  .then([](std::vector<pg_result>&) {}, [](caf::error&) {});
              return refuse(self, rp, r);
            }
            rotate(self, rp, r);
          },
          [self, rp, r](caf::error&) { rotate(self, rp, r); });
}

} // namespace

grant_promise on_refresh(auth_self self, std::string& refresh_token, std::string& client_addr) {
  auto rp = self->make_response_promise<token_grant>();
  auto r = std::make_shared<refresh_attempt>();
  r->addr_key = login_addr_key(client_addr);
  bool shaped = looks_like_opaque_token(refresh_token);
  if (shaped)
    r->hash = token_hash(refresh_token);
  // An address past its failure limit costs no PostgreSQL query (M5).
  check_limit(
      self, r->addr_key, self->state.d.cfg->login_max_failures_addr,
      [self, rp, r, shaped] {
        if (!shaped)
          return refuse(self, rp, r);
        judge(self, rp, r, [self, rp, r] { check_sid_then_rotate(self, rp, r); });
      },
      [rp](caf::error err) { settle(rp, std::move(err)); });
  return rp;
}

namespace {

// L5: PostgreSQL did not take the logout. The caller gets the error (503, so
// the client retries; revoking twice is harmless) and the sid stays in the
// revoked set for the family's whole possible lifetime instead of only the
// access TTL: every refresh of the family is refused by the backstop above
// (which also revokes it in PostgreSQL once that is back), on every node.
void park_logout(auth_self self, const std::string& sid) {
  auto ttl_s = static_cast<int64_t>(self->state.d.cfg->session_max_age_s);
  auto until = unix_now() + ttl_s;
  std::vector<redis_command> cmds{
      {{"SET", revoked_sid_key(sid), std::to_string(until), "PX", std::to_string(ttl_s * 1000)}}};
  self->request(self->state.d.redis, store_timeout(self), std::move(cmds))
      .then([](std::vector<redis_reply>&) {},
            [](caf::error&) {
              log::warn("logout not stored: neither PostgreSQL nor Redis reachable",
                        {{"reason", "stores unavailable"}});
            });
}

} // namespace

done_promise on_logout(auth_self self, session_ref& s, std::string& refresh_token) {
  auto rp = self->make_response_promise<bool>();
  // Refuse the access token everywhere first: even if PostgreSQL is down, the
  // token stops working; PostgreSQL then stops the refresh family.
  revoke(self, {s.sid}, s.jti, s.exp, [self, rp, s, refresh = refresh_token] {
    auto st = revoke_families("f.id = $1::uuid", {pg_value::of(s.sid)});
    bool other = looks_like_opaque_token(refresh);
    if (other)
      for (auto& x : revoke_families("f.user_id = $2::uuid AND f.id IN (SELECT family_id FROM "
                                     "refresh_tokens WHERE token_hash = $1)",
                                     {pg_value::of(token_hash(refresh)), pg_value::of(s.user_id)}))
        st.push_back(std::move(x));
    st.push_back(event_row(self, "auth.revoked", revoked_data(s.user_id, s.sid, "logout"), s.org_id,
                           s.request_id, s.user_id));
    self->request(self->state.d.pg, store_timeout(self), txn(std::move(st)))
        .then(
            [self, rp, s, other](std::vector<pg_result>& res) {
              poke_outbox(self);
              std::vector<std::string> sids;
              if (other && res.size() > 2)
                for (auto& row : res[2].rows)
                  if (auto& f = text_at(row, 0);
                      f != s.sid && std::find(sids.begin(), sids.end(), f) == sids.end())
                    sids.push_back(f);
              revoke(self, sids, {}, 0, [rp] { settle(rp, true); });
            },
            [self, rp, s](caf::error& err) {
              park_logout(self, s.sid);
              settle(rp, map_conflict(std::move(err)));
            });
  });
  return rp;
}

} // namespace haven::auth
