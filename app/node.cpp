#include "app/node.hpp"

#include <thread>

#include <malloc.h>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "actors/health/health_actor.hpp"
#include "app/cultural_wiring.hpp"
#include "app/sessions_wiring.hpp"
#include "app/sync_wiring.hpp"
#include "base/log/log.hpp"
#include "io/http/rpc_bridge.hpp"
#include "io/nats/bus.hpp"
#include "messages/auth.hpp"
#include "messages/errors.hpp"
#include "messages/rate.hpp"
#include "messages/safety.hpp"
#include "messages/sessions.hpp"
#include "messages/status.hpp"
#include "messages/sync.hpp"
#include "messages/type_ids.hpp"
#include "persistence/outbox/relay.hpp"
#include "persistence/pg/migrations.hpp"
#include "persistence/pg/pg_pool.hpp"
#include "persistence/redis/redis_client.hpp"

namespace haven::app {

void register_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::haven>();
  cfg.add_message_types<caf::id_block::haven_pg>();
  cfg.add_message_types<caf::id_block::haven_bus>();
  cfg.add_message_types<caf::id_block::haven_redis>();
  cfg.add_message_types<caf::id_block::haven_auth>();
  cfg.add_message_types<caf::id_block::haven_rate>();
  cfg.add_message_types<caf::id_block::haven_safety>();
  cfg.add_message_types<caf::id_block::haven_sessions>();
  cfg.add_message_types<caf::id_block::haven_sync>();
  cfg.add_message_types<caf::id_block::haven_status>();
  // Logged errors then read "haven: dependency_unavailable (…)", not a number.
  // (CAF 0.17.6's add_error_category<T> does not compile: its renderer lacks
  // the atom parameter, so the renderer is given here.)
  cfg.add_error_category(errc_category, [](uint8_t code, caf::atom_value, const caf::message& ctx) {
    std::string out = "haven: ";
    out += to_string(static_cast<errc>(code));
    if (!ctx.empty()) {
      out += " (";
      out += ctx.match_element<std::string>(0) ? ctx.get_as<std::string>(0) : caf::to_string(ctx);
      out += ")";
    }
    return out;
  });
}

namespace {

// Applies migrations off the scheduler (it blocks on PostgreSQL, retrying
// while it is down) and tells the edge when the node may serve.
void migrate_then_ready(caf::actor_system& sys, const config::settings& cfg, edge_actor edge) {
  sys.spawn<caf::detached>([conninfo = cfg.pg_url, edge](caf::event_based_actor* self) {
    for (;;) {
      auto applied = apply_migrations(conninfo, std::chrono::seconds(30));
      if (applied) {
        log::info("migrations applied", {{"count", std::to_string(*applied), false}});
        self->send(edge, ready_atom_v, true);
        return;
      }
      log::warn("migrations not applied yet, retrying",
                {{"reason", self->system().render(applied.error())}});
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
}

} // namespace

caf::expected<node> start_node(caf::actor_system& sys,
                               std::shared_ptr<const config::settings> cfg) {
  node n;
  n.cfg = cfg;
  n.pg = spawn_pg_pool(sys, *cfg);
  n.redis = spawn_redis(sys, *cfg);
  n.bus = nats::spawn_bus(sys, *cfg);
  n.outbox = outbox::spawn_outbox_relay(sys, *cfg, n.bus);
  n.health = health::spawn_health(sys, *cfg, {}, pg_pool_stats_of(n.pg), n.outbox);
  auto auth = start_auth(sys, cfg, n.pg, n.redis, n.bus, n.outbox);
  if (!auth) {
    stop_node(sys, n);
    return std::move(auth.error());
  }
  n.auth = std::move(*auth);
  auto safety = start_safety(sys, cfg, n.pg, n.outbox, n.auth.gate, n.redis);
  if (!safety) {
    stop_node(sys, n);
    return std::move(safety.error());
  }
  n.safety = std::move(*safety);
  auto cultural = start_cultural(*cfg);
  if (!cultural) {
    stop_node(sys, n);
    return std::move(cultural.error());
  }
  n.status = start_status(sys, cfg, n.redis, n.bus, n.auth.gate);
  auto sync = start_sync(sys, cfg, n.pg, n.outbox, n.bus, n.auth.gate);
  if (!sync) {
    stop_node(sys, n);
    return std::move(sync.error());
  }
  n.sync = std::move(*sync);
  auto sessions = start_sessions(sys, cfg, n.pg, n.safety.crisis, n.safety.moderation, n.auth.gate);
  if (!sessions) {
    stop_node(sys, n);
    return std::move(sessions.error());
  }
  n.sessions = std::move(*sessions);
  http::edge_options opts;
  opts.cfg = cfg;
  opts.routes = std::move(n.auth.routes);
  for (auto* family : {&n.safety.routes, &*cultural, &n.status.routes})
    for (auto& r : *family)
      opts.routes.push_back(std::move(r));
  for (auto& r : n.sync.routes)
    opts.routes.push_back(std::move(r));
  for (auto& r : n.sessions.routes)
    opts.routes.push_back(std::move(r));
  opts.version = HAVEN_VERSION;
  opts.extensions = n.auth.extensions;
  opts.bus = n.bus;
  n.rate = start_rate_limit(cfg, n.redis, n.auth.gate, opts);
  add_safety_metrics(n.safety, opts); // after the limiter set its hook: both render
  add_auth_metrics(n.auth, opts);
  add_sessions_metrics(n.sessions, opts);
  add_status_metrics(n.status, opts);
  add_sync_metrics(n.sync, opts);
  auto edge = http::spawn_edge(sys, std::move(opts));
  if (!edge) {
    stop_node(sys, n);
    return std::move(edge.error());
  }
  n.edge = edge->actor;
  n.port = edge->port;
  connect_auth(n.auth, n.edge);
  connect_rate_limit(sys, n.rate, cfg, n.bus, n.redis, n.edge);
  // NATS rpc (API.md section 9): the edge runs each request through its HTTP
  // route; one queue group across the nodes, so one node answers each.
  for (auto subject : http::rpc_subjects())
    caf::anon_send(n.bus, subscribe_atom_v, cfg->nats_prefix + ".rpc." + std::string{subject},
                   std::string{"haven-rpc"}, caf::actor_cast<bus_listener>(n.edge));
  caf::anon_send(n.health, subscribe_atom_v, caf::actor_cast<health_listener>(n.edge));
  migrate_then_ready(sys, *cfg, n.edge);
  // Loading the lexicons and keys left freed heap behind: give it back (idle RSS).
  malloc_trim(0);
  return n;
}

void stop_node(caf::actor_system& sys, node& n) {
  if (n.edge) {
    caf::scoped_actor self{sys};
    flush_rate_limit(n.edge); // queued before the drain: tokens go back first
    self->monitor(n.edge);
    caf::anon_send(n.edge, drain_atom_v);
    self->receive([](const caf::down_msg&) {});
  }
  auto stop = [](const auto& actor) {
    if (actor)
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  };
  stop_rate_limit(n.rate);
  stop_status(n.status);
  stop_sync(n.sync);
  stop_sessions(n.sessions); // before safety: turns use its actors
  stop_safety(n.safety);
  stop_auth(n.auth);
  stop(n.health);
  stop(n.outbox);
  stop(n.bus);
  stop(n.redis);
  stop(n.pg);
}

} // namespace haven::app
