#include "app/auth_wiring.hpp"

#include <algorithm>
#include <thread>

#include <caf/all.hpp>
#include <sodium.h>

#include "actors/auth/auth_actor.hpp"
#include "actors/auth/auth_gate.hpp"
#include "actors/auth/key_dir.hpp"
#include "actors/auth/password_hashers.hpp"
#include "actors/auth/revocation_actor.hpp"
#include "actors/auth/routes/auth_routes.hpp"
#include "base/log/log.hpp"
#include "io/http/edge.hpp"
#include "messages/errors.hpp"

namespace haven::app {

namespace {

// The bounds of HAVEN_ARGON_MEMORY_KIB (8 KiB..4 GiB) and HAVEN_ARGON_ITERATIONS
// (1..10) in config/declarations.cpp must be values libsodium accepts.
static_assert(crypto_pwhash_argon2id_MEMLIMIT_MIN <= 8 * 1024);
static_assert(crypto_pwhash_argon2id_MEMLIMIT_MAX >= size_t{4} * 1024 * 1024 * 1024);
static_assert(crypto_pwhash_argon2id_OPSLIMIT_MIN <= 1);
static_assert(crypto_pwhash_argon2id_OPSLIMIT_MAX >= 10);

auth::argon_params argon_params_of(const config::settings& cfg) {
  auth::argon_params p;
  p.opslimit = cfg.argon_iterations;
  p.memlimit = size_t{cfg.argon_memory_kib} * 1024;
  return p;
}

size_t hash_workers_of(const config::settings& cfg) {
  if (cfg.hash_workers > 0)
    return cfg.hash_workers;
  // Half the cores hash, so a login storm leaves room for everything else
  // (ARCHITECTURE.md rule 2); at least one.
  return std::max<size_t>(1, std::thread::hardware_concurrency() / 2);
}

} // namespace

caf::expected<auth_parts> start_auth(caf::actor_system& sys,
                                     std::shared_ptr<const config::settings> cfg, pg_pool_actor pg,
                                     redis_actor redis, bus_actor bus, outbox_relay_actor outbox) {
  auto ring =
      auth::load_or_create_signing_keys(cfg->jwt_key_dir, cfg->env == config::environment::dev);
  if (!ring.keys)
    return make_error(errc::internal, "HAVEN_JWT_KEY_DIR: " + ring.error);
  auth_parts p;
  auto workers = hash_workers_of(*cfg);
  auto argon = argon_params_of(*cfg);
  p.hash_metrics = std::make_shared<auth::hash_metrics>();
  p.hashers = auth::spawn_password_hashers(sys, workers, argon, 64, p.hash_metrics);
  log::info("password hashing",
            {{"workers", std::to_string(workers), false},
             {"argon_memory_kib", std::to_string(cfg->argon_memory_kib), false},
             {"argon_iterations", std::to_string(cfg->argon_iterations), false}});
  p.revoker = auth::spawn_revocation_actor(sys, cfg, redis, bus);
  p.auth = auth::spawn_auth_actor(
      sys, auth::auth_deps{cfg, ring.keys, pg, redis, bus, outbox, p.hashers, p.revoker});
  p.gate = std::make_shared<auth::auth_gate>(ring.keys);
  auto users = std::make_shared<auth::user_cache>();
  p.routes = auth::auth_routes(auth::route_deps{p.gate, p.auth, cfg, users});
  // Runs on the edge's thread, the only one that touches the gate and the cache.
  p.extensions = caf::message_handler{
      [gate = p.gate](revoke_atom, std::vector<revocation>& list) {
        gate->revoke(list, auth::unix_now());
      },
      [users](user_changed_atom, std::string& user_id) { users->erase(user_id); }};
  return p;
}

void add_auth_metrics(const auth_parts& parts, http::edge_options& opts) {
  if (auto m = parts.hash_metrics)
    http::add_metrics(opts, [m](std::string& out) { m->render(out); });
}

void connect_auth(const auth_parts& parts, const edge_actor& edge) {
  caf::anon_send(parts.revoker, subscribe_atom_v, caf::actor_cast<revocation_listener>(edge));
  caf::anon_send(parts.auth, subscribe_atom_v, caf::actor_cast<user_listener>(edge));
}

void stop_auth(auth_parts& parts) {
  if (parts.auth)
    caf::anon_send_exit(parts.auth, caf::exit_reason::user_shutdown);
  if (parts.revoker)
    caf::anon_send_exit(parts.revoker, caf::exit_reason::user_shutdown);
  if (parts.hashers)
    caf::anon_send_exit(parts.hashers, caf::exit_reason::user_shutdown);
}

} // namespace haven::app
