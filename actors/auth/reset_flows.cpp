// POST /v1/auth/password-reset/request and …/confirm (API.md section 3).
//
// The reset token reaches the notifier by a direct publish on
// `<prefix>.notify.auth.password_reset` after the commit, not through the
// outbox: the outbox stores events in plain text, and the token must never be
// stored unhashed. The price: when NATS is down at that moment the message is
// lost (logged) and the person asks again; the answer is 202 either way.
#include <algorithm>
#include <memory>

#include <caf/all.hpp>

#include "actors/auth/auth_flows.hpp"
#include "actors/auth/auth_sql.hpp"
#include "actors/auth/auth_throttle.hpp"
#include "actors/auth/refresh_tokens.hpp"
#include "base/json/json_writer.hpp"
#include "base/log/log.hpp"
#include "messages/errors.hpp"
#include "persistence/outbox/event.hpp"

namespace haven::auth {

namespace {

constexpr int64_t reset_ttl_s = 30 * 60;
// L1: at most this many reset mails per account per hour, silently (the
// answer is 202 either way): a stranger cannot flood someone's inbox.
constexpr uint64_t resets_per_account = 3;
constexpr std::chrono::milliseconds reset_account_window = std::chrono::hours(1);

void notify(auth_self self, const std::string& user_id, const std::string& email,
            const std::string& token, const std::string& expires_at,
            const std::string& request_id) {
  auto& cfg = *self->state.d.cfg;
  json::writer w;
  w.begin_object().field("user_id", user_id).field("email", email).field("token", token);
  w.field("expires_at", expires_at).end_object();
  bus_message m;
  m.subject = cfg.nats_prefix + ".notify.auth.password_reset";
  m.headers.push_back({"Haven-Request-Id", request_id});
  m.data = std::move(w).str();
  self->request(self->state.d.bus, store_timeout(self), publish_atom_v, std::move(m))
      .then([](bool) {},
            [request_id](caf::error&) {
              log::warn("password reset notification not published",
                        {{"request_id", request_id}, {"reason", "nats unavailable"}});
            });
}

// A hashed single-use token row and the public event in one transaction, then
// the token to the notifier.
void store_reset(auth_self self, const std::string& user_id, const std::string& org_id,
                 const std::string& email, const std::string& request_id) {
  auto token = new_opaque_token();
  auto expires_at = rfc3339_in(reset_ttl_s);
  json::writer w;
  w.begin_object().field("user_id", user_id).field("expires_at", expires_at).end_object();
  std::vector<pg_statement> st;
  st.push_back({"INSERT INTO password_resets (token_hash, user_id, expires_at) "
                "VALUES ($1, $2::uuid, $3::timestamptz)",
                {pg_value::of(token.hash), pg_value::of(user_id), pg_value::of(expires_at)}});
  st.push_back(event_row(self, "auth.password_reset_requested", std::move(w).str(), org_id,
                         request_id, user_id));
  self->request(self->state.d.pg, store_timeout(self), txn(std::move(st)))
      .then(
          [self, user_id, email, token, expires_at, request_id](std::vector<pg_result>&) {
            poke_outbox(self);
            notify(self, user_id, email, token.token, expires_at, request_id);
          },
          [request_id](caf::error&) {
            log::warn("password reset not stored", {{"request_id", request_id}});
          });
}

// After the 202: find the account and, if there is one, store a hashed
// single-use token and hand the token to the notifier.
void issue_reset(auth_self self, std::string email, std::string request_id) {
  self->request(
          self->state.d.pg, store_timeout(self),
          one("SELECT id::text, org_id::text FROM users WHERE email = $1", {pg_value::of(email)}))
      .then(
          [self, email, request_id](std::vector<pg_result>& res) {
            if (res.empty() || res[0].rows.empty())
              return; // unknown email: nothing to do, nothing to tell
            auto user_id = text_at(res[0].rows[0], 0);
            auto org_id = text_at(res[0].rows[0], 1);
            count_attempt(
                self, throttle_key("reset_acct", user_id), resets_per_account,
                [self, user_id, org_id, email, request_id] {
                  store_reset(self, user_id, org_id, email, request_id);
                },
                [request_id](caf::error) {
                  log::info("password reset not sent: per-account cap reached",
                            {{"request_id", request_id}});
                },
                reset_account_window);
          },
          [request_id](caf::error&) {
            log::warn("password reset lookup failed", {{"request_id", request_id}});
          });
}

} // namespace

done_promise on_reset_request(auth_self self, std::string& email, std::string& addr,
                              std::string& request_id) {
  auto rp = self->make_response_promise<bool>();
  count_attempt(
      self, throttle_key("reset", addr), self->state.d.cfg->auth_addr_limit,
      [self, rp, email, request_id] {
        // Answer first: the same 202 at the same speed whether or not the account exists.
        settle(rp, true);
        issue_reset(self, email, request_id);
      },
      [rp](caf::error err) { settle(rp, std::move(err)); });
  return rp;
}

namespace {

// Consumes the token, sets the password, cancels the other reset tokens and
// writes auth.revoked, as ONE statement: of two concurrent confirms with one
// token, exactly one matches the first CTE and the other changes nothing
// (every later part reads from it). The sessions are revoked by the next
// statements of the same transaction, which take a new snapshot: they see a
// session a racing login committed while this one waited for the user row
// (the login share-locks it, refresh_insert).
pg_statement consume_statement(auth_self self, const std::string& hash, const std::string& encoded,
                               const std::string& user_id, const std::string& org_id,
                               const std::string& request_id) {
  json::writer w;
  w.begin_object().field("user_id", user_id).field("reason", "password_reset").end_object();
  auto ev = event_row(self, "auth.revoked", std::move(w).str(), org_id, request_id, user_id);
  pg_statement st;
  // The outbox columns in outbox_insert's parameter order ($4..$10 here).
  st.sql = "WITH r AS (UPDATE password_resets SET used_at = now() WHERE token_hash = $1 "
           "AND used_at IS NULL AND expires_at > now() AND user_id = $3::uuid RETURNING user_id), "
           "u AS (UPDATE users SET password_hash = $2 FROM r WHERE users.id = r.user_id "
           "RETURNING users.id), "
           // L1: every other outstanding reset token of the user dies with this one.
           "x AS (UPDATE password_resets p SET used_at = now() FROM u WHERE p.user_id = u.id "
           "AND p.used_at IS NULL AND p.token_hash <> $1), "
           "o AS (INSERT INTO outbox (id, type, subject, aggregate_id, org_id, request_id, event) "
           "SELECT $4::uuid, $5, $6, $7, $8::uuid, $9, $10 FROM u) "
           "SELECT u.id::text FROM u";
  st.params = {pg_value::of(hash), pg_value::of(encoded), pg_value::of(user_id)};
  for (auto& p : ev.params)
    st.params.push_back(p);
  return st;
}

template <class Bad>
void confirm(auth_self self, done_promise rp, std::shared_ptr<reset_confirm> req, Bad bad) {
  auto hash = token_hash(req->token);
  // Check the token before spending an Argon2 hash on it.
  run_sql(self, rp,
          one("SELECT r.user_id::text, u.org_id::text FROM password_resets r JOIN users u "
              "ON u.id = r.user_id WHERE r.token_hash = $1 AND r.used_at IS NULL "
              "AND r.expires_at > now()",
              {pg_value::of(hash)}),
          [self, rp, req, hash, bad](std::vector<pg_result>& res) {
            if (res.empty() || res[0].rows.empty())
              return bad();
            auto user_id = text_at(res[0].rows[0], 0);
            auto org_id = text_at(res[0].rows[0], 1);
            self->request(self->state.d.hashers, caf::infinite, pw_hash_atom_v, req->new_password)
                .then(
                    [self, rp, req, hash, user_id, org_id, bad](std::string& encoded) {
                      auto st =
                          consume_statement(self, hash, encoded, user_id, org_id, req->request_id);
                      std::vector<pg_statement> all;
                      all.push_back(std::move(st));
                      // H2: every family of the user (rows first: waits for a
                      // rotation holding one) once the token is used, by this
                      // transaction or a racing confirm (revoking twice is harmless).
                      for (auto& x : revoke_families(
                               "f.user_id = $1::uuid AND EXISTS (SELECT 1 FROM password_resets "
                               "WHERE token_hash = $2 AND used_at IS NOT NULL)",
                               {pg_value::of(user_id), pg_value::of(hash)}))
                        all.push_back(std::move(x));
                      run_sql(self, rp, txn(std::move(all)),
                              [self, rp, bad](std::vector<pg_result>& res) {
                                if (res.empty() || res[0].rows.empty())
                                  return bad();
                                poke_outbox(self);
                                std::vector<std::string> sids;
                                if (res.size() > 1)
                                  for (auto& row : res[1].rows)
                                    sids.push_back(text_at(row, 0));
                                revoke(self, sids, {}, 0, [rp] { settle(rp, true); });
                              });
                    },
                    [rp](caf::error& err) { settle(rp, std::move(err)); });
          });
}

} // namespace

done_promise on_reset_confirm(auth_self self, reset_confirm& c) {
  auto rp = self->make_response_promise<bool>();
  auto req = std::make_shared<reset_confirm>(std::move(c));
  auto addr_key = login_addr_key(req->client_addr);
  // M5: failed confirmations count per address, like failed logins, and an
  // address past the limit costs no PostgreSQL query.
  auto bad = [self, rp, addr_key] {
    record_failure(self, addr_key);
    settle(rp, make_error(errc::unauthorized, "invalid or expired reset token"));
  };
  check_limit(
      self, addr_key, self->state.d.cfg->login_max_failures_addr,
      [self, rp, req, bad] {
        if (!looks_like_opaque_token(req->token))
          return bad();
        confirm(self, rp, req, bad);
      },
      [rp](caf::error err) { settle(rp, std::move(err)); });
  return rp;
}

} // namespace haven::auth
