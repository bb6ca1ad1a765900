#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/auth/auth_actor.hpp"
#include "actors/auth/auth_sql.hpp"
#include "actors/auth/throttle.hpp"
#include "actors/auth/user_cache.hpp"
#include "config/settings.hpp"
#include "messages/auth.hpp"
#include "messages/bus.hpp"
#include "messages/pg.hpp"
#include "messages/redis.hpp"

// Internal to the auth actor: its state and the helpers its flows share
// (auth_support.cpp, auth_throttle.cpp). Flows live in *_flows.cpp, one file
// per part of API.md section 3.

namespace haven::auth {

struct auth_state {
  auth_deps d;
  user_cache users;
  local_windows local_counts;                // throttle counters while Redis is down
  std::vector<user_listener> user_listeners; // edge-side USER caches
  static inline const char* name = "auth";
};

using auth_self = auth_actor::stateful_pointer<auth_state>;

/// Deadline for one store round trip (the pool has its own, shorter one).
std::chrono::milliseconds store_timeout(auth_self self);

/// Fulfils a promise (by value: captured promises are const in lambdas, and a
/// void result lets flows write `return settle(rp, …);`).
template <class P, class... Ts>
void settle(P rp, Ts&&... xs) {
  rp.deliver(std::forward<Ts>(xs)...);
}

/// Sends `b` to the pool; `on_rows(std::vector<pg_result>&)` on success, else
/// the error goes to `rp`, a unique violation without the constraint's name
/// (map_conflict: no constraint name ever reaches a client, L6).
template <class T, class F>
void run_sql(auth_self self, caf::typed_response_promise<T> rp, pg_batch b, F on_rows) {
  self->request(self->state.d.pg, store_timeout(self), std::move(b))
      .then(std::move(on_rows),
            [rp](caf::error& err) { settle(rp, map_conflict(std::move(err))); });
}

/// One statement as a batch.
pg_batch one(std::string sql, std::vector<pg_value> params);
/// Several statements in one transaction.
pg_batch txn(std::vector<pg_statement> statements);

/// "2024-05-01T12:34:56Z" for `now + seconds`.
std::string rfc3339_in(int64_t seconds);

/// A signed access token for `u` in session `sid`.
std::string issue_access_token(auth_self self, const user_view& u, const std::string& sid);

/// TOKENS for `u` with the given refresh token.
token_grant make_grant(auth_self self, const user_view& u, const std::string& sid,
                       std::string refresh_token);

/// The INSERT of a new session: its family row (absolute end
/// HAVEN_SESSION_MAX_AGE_S) and first refresh token, for (`sid`, `user_id`).
/// With `verified_hash` (a login), nothing is inserted (affected 0) unless
/// that is still the user's password hash.
pg_statement refresh_insert(auth_self self, const std::string& token_hash, const std::string& sid,
                            const std::string& user_id, const std::string& verified_hash = {});

/// Revokes the refresh families matching `where` (a condition on
/// `refresh_families f`, e.g. "f.id = $1::uuid") and their tokens: two
/// statements for one transaction; the first returns the ids it revoked.
std::vector<pg_statement> revoke_families(const std::string& where, std::vector<pg_value> params);

/// The outbox row of an event (API.md section 9) for the same transaction.
pg_statement event_row(auth_self self, std::string type, std::string data_json, std::string org_id,
                       std::string request_id, const std::string& aggregate);

/// Tells the relay that rows were committed.
void poke_outbox(auth_self self);

/// Revokes sessions (until every access token of them expired) and
/// optionally one access token; calls `done()` once the local edge has them.
template <class F>
void revoke(auth_self self, const std::vector<std::string>& sids, const std::string& jti,
            int64_t jti_exp, F done);
std::vector<revocation> make_revocations(auth_self self, const std::vector<std::string>& sids,
                                         const std::string& jti, int64_t jti_exp);

/// The USER view of `id` (cache, else PostgreSQL): `found` gets it, or
/// `missing` errc::unauthorized when the user is gone, or the store's error.
void load_user(auth_self self, const std::string& id, std::function<void(user_view&)> found,
               std::function<void(caf::error)> missing);

/// Forgets a user's cached view here and on the other nodes.
void user_changed(auth_self self, const std::string& user_id);

/// Drops the cached view of `user_id` here and in every user_listener (the
/// local half of user_changed, also run for other nodes' invalidations).
void forget_user(auth_self self, const std::string& user_id);

template <class F>
void revoke(auth_self self, const std::vector<std::string>& sids, const std::string& jti,
            int64_t jti_exp, F done) {
  auto list = make_revocations(self, sids, jti, jti_exp);
  if (list.empty())
    return done();
  // The revoker answers after the local edge has the entries queued; a
  // failure (it never fails today) must not turn a committed change into an error.
  self->request(self->state.d.revoker, store_timeout(self), revoke_atom_v, std::move(list))
      .then([done](bool) mutable { done(); }, [done](caf::error&) mutable { done(); });
}

} // namespace haven::auth
