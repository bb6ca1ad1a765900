#include "app/safety_wiring.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
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
#include "actors/moderation/policy.hpp"
#include "io/log/log.hpp"
#include "messages/errors.hpp"

namespace haven::app {

namespace {

namespace fs = std::filesystem;

std::string moderation_data_dir() {
  if (const char* env = std::getenv("HAVEN_MODERATION_DATA_DIR"); env && *env)
    return env; // set on purpose: a wrong folder must fail loudly, not fall back
  std::error_code ec;
  auto exe = fs::canonical("/proc/self/exe", ec);
  if (!ec && fs::exists(exe.parent_path() / "moderation_data", ec))
    return (exe.parent_path() / "moderation_data").string();
  // This file is app/safety_wiring.cpp of the source tree.
  return (fs::path{__FILE__}.parent_path().parent_path() / "actors" / "moderation" / "data")
      .string();
}

static_assert(config::threshold_never == moderation::never);

// HAVEN_MODERATION_* on top of the default policy: only the listed categories
// change. The loader already checked names and numbers; check() runs anyway so
// a policy the moderator would misread can never start.
caf::expected<moderation::policy_config> moderation_policy(const config::settings& cfg) {
  moderation::policy_config policy;
  struct list {
    const char* key;
    const std::vector<config::threshold_override>& items;
    moderation::direction_policy& rules;
    float moderation::category_rule::*threshold;
  };
  const list lists[] = {
      {"HAVEN_MODERATION_INPUT_BLOCK", cfg.moderation_input_block, policy.input,
       &moderation::category_rule::block},
      {"HAVEN_MODERATION_INPUT_REVIEW", cfg.moderation_input_review, policy.input,
       &moderation::category_rule::review},
      {"HAVEN_MODERATION_OUTPUT_BLOCK", cfg.moderation_output_block, policy.output,
       &moderation::category_rule::block},
      {"HAVEN_MODERATION_OUTPUT_REVIEW", cfg.moderation_output_review, policy.output,
       &moderation::category_rule::review},
  };
  for (const auto& l : lists)
    for (const auto& item : l.items) {
      auto c = moderation::category_from_string(item.category);
      if (!c)
        return make_error(errc::internal,
                          std::string{l.key} + ": unknown category \"" + item.category + "\"");
      l.rules[*c].*l.threshold = item.threshold;
    }
  policy.input.redact_pii = cfg.moderation_input_redact_pii;
  policy.output.redact_pii = cfg.moderation_output_redact_pii;
  if (auto bad = moderation::check(policy); !bad.empty())
    return make_error(errc::internal, "HAVEN_MODERATION_*: " + bad);
  return policy;
}

} // namespace

caf::expected<safety_parts> start_safety(caf::actor_system& sys,
                                         std::shared_ptr<const config::settings> cfg,
                                         pg_pool_actor pg, outbox_relay_actor outbox,
                                         std::shared_ptr<auth::auth_gate> gate, redis_actor redis) {
  auto crisis_dir = crisis::find_data_dir();
  auto lex = crisis::load_lexicons(crisis_dir);
  if (!lex.lexicons)
    return make_error(errc::internal, "crisis data (" + crisis_dir + "): " + lex.error);
  auto res = crisis::load_resources(crisis_dir + "/resources.tsv");
  if (!res.resources)
    return make_error(errc::internal, "crisis data (" + crisis_dir + "): " + res.error);
  auto mod_dir = moderation_data_dir();
  auto mod_lex = moderation::load_lexicon_dir(mod_dir);
  if (!mod_lex.lex)
    return make_error(errc::internal, "moderation data (" + mod_dir + "): " + mod_lex.error);
  auto policy = moderation_policy(*cfg);
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
