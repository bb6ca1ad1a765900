#include "app/safety_wiring.hpp"

#include <algorithm>
#include <thread>

#include <caf/all.hpp>

#include "actors/auth/auth_gate.hpp"
#include "actors/crisis/crisis_actor.hpp"
#include "actors/crisis/event_rules.hpp"
#include "actors/crisis/lexicon_loader.hpp"
#include "actors/crisis/routes/safety_routes.hpp"
#include "actors/crisis/safety_metrics.hpp"
#include "actors/moderation/lexicon_loader.hpp"
#include "actors/moderation/moderation_actor.hpp"
#include "actors/moderation/settings_policy.hpp"
#include "base/log/log.hpp"
#include "messages/errors.hpp"

namespace haven::app {

caf::expected<safety_parts> start_safety(caf::actor_system& sys,
                                         std::shared_ptr<const config::settings> cfg,
                                         pg_pool_actor pg, outbox_relay_actor outbox,
                                         std::shared_ptr<auth::auth_gate> gate, redis_actor redis) {
  auto crisis_dir = crisis::find_data_dir(cfg->crisis_data_dir);
  auto lex = crisis::load_lexicons(crisis_dir, {crisis::find_model_file(cfg->crisis_model), {}});
  if (!lex.lexicons)
    return make_error(errc::internal, "crisis data (" + crisis_dir + "): " + lex.error);
  auto res = crisis::load_resources(crisis_dir + "/resources.tsv");
  if (!res.resources)
    return make_error(errc::internal, "crisis data (" + crisis_dir + "): " + res.error);
  auto mod_dir = moderation::find_data_dir(cfg->moderation_data_dir);
  auto mod_lex = moderation::load_lexicon_dir(mod_dir);
  if (!mod_lex.lex)
    return make_error(errc::internal, "moderation data (" + mod_dir + "): " + mod_lex.error);
  auto policy = moderation::policy_from_settings(*cfg);
  if (!policy)
    return std::move(policy.error());
  moderation::moderation_config mcfg;
  mcfg.policy = std::move(*policy);
  // The assistant must be able to give out the crisis lines unredacted.
  mcfg.pii_allow.phones = crisis::resource_phones(*res.resources);
  auto mod = std::make_shared<const moderation::moderator>(mod_lex.lex, std::move(mcfg));
  log::info("safety data loaded", {{"crisis_dir", crisis_dir}, {"moderation_dir", mod_dir}});

  safety_parts p;
  p.metrics = std::make_shared<crisis::safety_metrics>();
  // Scoring runs in the actors: one per core (at most 4) keeps the cores busy
  // without spreading sessions thin. Session trajectories live in Redis; each
  // shard keeps a node-local copy of its sessions' (crisis_actor.hpp).
  auto n = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  if (redis)
    crisis::register_session_script(redis);
  for (size_t i = 0; i < n; ++i) {
    p.crisis.push_back(crisis::spawn_crisis_actor(
        sys, crisis::crisis_deps{cfg, lex.lexicons, res.resources, pg, outbox, p.metrics, redis}));
    p.moderation.push_back(moderation::spawn_moderation_actor(
        sys, moderation::moderation_deps{cfg, mod, pg, outbox, p.metrics}));
  }
  p.routes = crisis::safety_routes(crisis::safety_route_deps{
      std::move(gate), p.crisis, p.moderation, lex.lexicons, res.resources, p.metrics});
  return p;
}

void add_safety_metrics(const safety_parts& parts, http::edge_options& opts) {
  if (auto m = parts.metrics)
    http::add_metrics(opts, [m](std::string& out) { m->render(out); });
}

void stop_safety(safety_parts& parts) {
  for (auto& a : parts.crisis)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  for (auto& a : parts.moderation)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  parts.crisis.clear();
  parts.moderation.clear();
}

} // namespace haven::app
