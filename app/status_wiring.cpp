#include "app/status_wiring.hpp"

#include <caf/all.hpp>

#include "actors/auth/auth_gate.hpp"
#include "actors/status/routes/status_routes.hpp"
#include "actors/status/status_actor.hpp"
#include "actors/status/status_metrics.hpp"
#include "actors/status/status_relay.hpp"
#include "actors/status/status_script.hpp"

namespace haven::app {

status_parts start_status(caf::actor_system& sys, std::shared_ptr<const config::settings> cfg,
                          redis_actor redis, bus_actor bus, std::shared_ptr<auth::auth_gate> gate) {
  status_parts p;
  status::register_update_script(redis);
  p.metrics = std::make_shared<status::status_metrics>();
  p.relay = status::spawn_status_relay(sys, *cfg, redis, std::move(bus), p.metrics);
  // An update is an actor hop and one script call: two actors keep both
  // cores' scheduler threads busy under load without spreading anything thin.
  for (int i = 0; i < 2; ++i)
    p.actors.push_back(
        status::spawn_status_actor(sys, status::status_deps{cfg, redis, p.relay, p.metrics}));
  p.routes = status::status_routes(status::status_route_deps{std::move(gate), p.actors});
  return p;
}

void add_status_metrics(const status_parts& parts, http::edge_options& opts) {
  if (auto m = parts.metrics)
    http::add_metrics(opts, [m](std::string& out) { m->render(out); });
}

void stop_status(status_parts& parts) {
  for (auto& a : parts.actors)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  if (parts.relay)
    caf::anon_send_exit(parts.relay, caf::exit_reason::user_shutdown);
  parts.actors.clear();
  parts.relay = nullptr;
}

} // namespace haven::app
