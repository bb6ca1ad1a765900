#include "app/sync_wiring.hpp"

#include <caf/all.hpp>

#include "actors/auth/auth_gate.hpp"
#include "actors/sync_queue/entity_schema.hpp"
#include "actors/sync_queue/routes/sync_routes.hpp"
#include "actors/sync_queue/sync_actor.hpp"
#include "actors/sync_queue/sync_metrics.hpp"
#include "base/log/log.hpp"
#include "messages/errors.hpp"

namespace haven::app {

caf::expected<sync_parts> start_sync(caf::actor_system& sys,
                                     std::shared_ptr<const config::settings> cfg, pg_pool_actor pg,
                                     outbox_relay_actor outbox, bus_actor bus,
                                     std::shared_ptr<auth::auth_gate> gate) {
  auto dir = sync::find_data_dir(cfg->sync_data_dir);
  auto loaded = sync::load_schemas(dir);
  if (!loaded.schemas)
    return make_error(errc::internal, "sync data (" + dir + "): " + loaded.error);
  log::info("sync entity kinds loaded",
            {{"dir", dir}, {"kinds", std::to_string(loaded.schemas->size()), false}});
  sync_parts p;
  p.metrics = std::make_shared<sync::sync_metrics>();
  sync::sync_deps deps;
  deps.cfg = cfg;
  deps.pg = std::move(pg);
  deps.outbox = std::move(outbox);
  deps.bus = std::move(bus);
  deps.metrics = p.metrics;
  p.actor = sync::spawn_sync_actor(sys, std::move(deps));
  p.routes = sync::sync_routes(
      sync::sync_route_deps{std::move(gate), loaded.schemas, p.actor, cfg->max_upload_body_bytes});
  return p;
}

void add_sync_metrics(const sync_parts& parts, http::edge_options& opts) {
  if (auto m = parts.metrics)
    http::add_metrics(opts, [m](std::string& out) { m->render(out); });
}

void stop_sync(sync_parts& parts) {
  if (parts.actor)
    caf::anon_send_exit(parts.actor, caf::exit_reason::user_shutdown);
  parts.actor = nullptr;
}

} // namespace haven::app
