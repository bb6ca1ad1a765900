#include <caf/all.hpp>

#include "actors/auth/auth_gate.hpp"
#include "actors/auth/auth_sql.hpp"
#include "actors/auth/auth_state.hpp"
#include "actors/auth/jwt.hpp"
#include "actors/auth/user_handles.hpp"
#include "base/json/json_writer.hpp"
#include "config/store_wait.hpp"
#include "messages/errors.hpp"
#include "persistence/outbox/event.hpp"

namespace haven::auth {

std::chrono::milliseconds store_timeout(auth_self self) {
  return config::store_wait(*self->state.d.cfg);
}

pg_batch one(std::string sql, std::vector<pg_value> params) {
  pg_batch b;
  b.statements.push_back({std::move(sql), std::move(params)});
  return b;
}

pg_batch txn(std::vector<pg_statement> statements) {
  pg_batch b;
  b.statements = std::move(statements);
  b.transaction = true;
  return b;
}

std::string rfc3339_in(int64_t seconds) {
  auto t = std::chrono::system_clock::now() + std::chrono::seconds(seconds);
  auto s = outbox::format_rfc3339_ms(t); // "…T12:34:56.789Z": drop the milliseconds
  return s.size() > 5 ? s.substr(0, s.size() - 5) + "Z" : s;
}

std::string issue_access_token(auth_self self, const user_view& u, const std::string& sid) {
  auto now = unix_now();
  access_claims c;
  c.iss = std::string{token_issuer};
  c.sub = u.id;
  c.iat = now;
  c.nbf = now;
  c.exp = now + self->state.d.cfg->access_ttl_s;
  c.jti = new_uuid();
  c.sid = sid;
  c.role = u.role;
  c.tier = u.tier;
  c.org = u.org_id;
  return sign_access_token(*self->state.d.keys, c);
}

token_grant make_grant(auth_self self, const user_view& u, const std::string& sid,
                       std::string refresh_token) {
  token_grant g;
  g.user = u;
  g.access_token = issue_access_token(self, u, sid);
  g.refresh_token = std::move(refresh_token);
  g.expires_in = self->state.d.cfg->access_ttl_s;
  return g;
}

pg_statement refresh_insert(auth_self self, const std::string& token_hash, const std::string& sid,
                            const std::string& user_id, const std::string& verified_hash) {
  // The family row and its first token in one statement (the foreign key is
  // checked at the end of the statement). No token outlives its family.
  auto& cfg = *self->state.d.cfg;
  std::vector<pg_value> params{pg_value::of(token_hash), pg_value::of(sid), pg_value::of(user_id),
                               pg_value::of(std::to_string(cfg.refresh_ttl_s)),
                               pg_value::of(std::to_string(cfg.session_max_age_s))};
  // After a login: only while the verified hash is still the user's, with
  // the user row share-locked until commit. A password change or reset
  // (UPDATE users, then the families in a later statement) either waits for
  // this session and revokes it, or went first and this inserts nothing.
  std::string owner = "SELECT $3::uuid AS id";
  if (!verified_hash.empty()) {
    owner = "SELECT id FROM users WHERE id = $3::uuid AND password_hash = $6 FOR SHARE";
    params.push_back(pg_value::of(verified_hash));
  }
  return {"WITH ok AS (" + owner +
              "), f AS (INSERT INTO refresh_families (id, user_id, expires_at) "
              "SELECT $2::uuid, ok.id, now() + $5::int * interval '1 second' FROM ok "
              "RETURNING id, expires_at) "
              "INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) "
              "SELECT $1, f.id, $3::uuid, "
              "LEAST(now() + $4::int * interval '1 second', f.expires_at) FROM f",
          std::move(params)};
}

std::vector<pg_statement> revoke_families(const std::string& where, std::vector<pg_value> params) {
  // First the family rows: this waits for a rotation holding one of them and
  // makes every later rotation of them refuse. Then (a new snapshot, so it
  // sees tokens a rotation that went first inserted) the tokens themselves.
  std::vector<pg_statement> out;
  out.push_back({"UPDATE refresh_families f SET revoked_at = now() WHERE f.revoked_at IS NULL "
                 "AND " +
                     where + " RETURNING f.id::text",
                 params});
  out.push_back({"UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND "
                 "family_id IN (SELECT f.id FROM refresh_families f WHERE " +
                     where + ")",
                 std::move(params)});
  return out;
}

pg_statement event_row(auth_self self, std::string type, std::string data_json, std::string org_id,
                       std::string request_id, const std::string& aggregate) {
  return outbox::event_statement(*self->state.d.cfg, std::move(type), std::move(data_json),
                                 std::move(org_id), std::move(request_id), aggregate);
}

void poke_outbox(auth_self self) {
  if (self->state.d.outbox)
    caf::anon_send(self->state.d.outbox, outbox_atom_v);
}

std::vector<revocation> make_revocations(auth_self self, const std::vector<std::string>& sids,
                                         const std::string& jti, int64_t jti_exp) {
  auto now = unix_now();
  // A session's access tokens were all issued before now, so none outlives
  // now + access TTL (+ the verifier's leeway).
  int64_t sid_until = now + self->state.d.cfg->access_ttl_s + clock_leeway_s;
  std::vector<revocation> out;
  for (auto& sid : sids)
    if (!sid.empty())
      out.push_back({"sid", sid, sid_until});
  if (!jti.empty() && jti_exp + clock_leeway_s > now)
    out.push_back({"jti", jti, jti_exp + clock_leeway_s});
  return out;
}

void forget_user(auth_self self, const std::string& user_id) {
  self->state.users.erase(user_id);
  // Sent before the change is answered, so the caller's next request on
  // this node already misses the edge's cache (messages keep their order).
  for (auto& listener : self->state.user_listeners)
    self->send(listener, user_changed_atom_v, user_id);
}

void user_changed(auth_self self, const std::string& user_id) {
  forget_user(self, user_id);
  auto& cfg = *self->state.d.cfg;
  json::writer w;
  w.begin_object().field("node", cfg.node_id).field("user_id", user_id).end_object();
  bus_message m;
  m.subject = cfg.nats_prefix + ".cluster.user";
  m.data = std::move(w).str();
  // Best effort: the other nodes' cache TTL bounds staleness if this is lost.
  self->request(self->state.d.bus, store_timeout(self), publish_atom_v, std::move(m))
      .then([](bool) {}, [](caf::error&) {});
}

} // namespace haven::auth

namespace haven::auth {

void load_user(auth_self self, const std::string& id, std::function<void(user_view&)> found,
               std::function<void(caf::error)> missing) {
  auto now = user_cache::clock::now();
  if (auto* u = self->state.users.find(id, now)) {
    auto copy = *u;
    return found(copy);
  }
  auto seen = self->state.users.generation();
  self->request(self->state.d.pg, store_timeout(self),
                one(std::string{"SELECT "} + user_columns + " FROM users u WHERE u.id = $1::uuid",
                    {pg_value::of(id)}))
      .then(
          [self, found, missing, seen](std::vector<pg_result>& res) {
            if (res.empty() || res[0].rows.empty())
              return missing(make_error(errc::unauthorized));
            auto u = user_from_row(res[0].rows[0]);
            self->state.users.put_if_current(u, user_cache::clock::now(), seen);
            found(u);
          },
          [missing](caf::error& err) { missing(std::move(err)); });
}

} // namespace haven::auth
