#include "app/rate_limit_wiring.hpp"

#include <caf/all.hpp>

#include "actors/rate_buckets/lease_script.hpp"
#include "actors/rate_buckets/limiter.hpp"
#include "actors/rate_buckets/membership.hpp"
#include "persistence/redis/redis_client.hpp"

namespace haven::app {

rate_limit_parts start_rate_limit(std::shared_ptr<const config::settings> cfg, redis_actor redis,
                                  std::shared_ptr<auth::auth_gate> gate, http::edge_options& opts) {
  register_script(redis, std::string{rate::lease_script_name},
                  std::string{rate::lease_script_source});
  rate_limit_parts p;
  auto lim = std::make_shared<rate::limiter>(rate::limiter_deps{cfg, redis, std::move(gate)});
  p.limiter = lim;
  opts.routes.push_back(lim->status_route());
  opts.decorate = [lim](http::route_entry& r) { lim->decorate(r); };
  http::add_metrics(opts, [lim](std::string& out) { lim->render_metrics(out); });
  // Runs on the edge's thread, the only one that touches the limiter.
  opts.extensions = opts.extensions.or_else(caf::message_handler{
      [lim](const rate_cluster_status& s) { lim->on_status(s); },
      [lim](rl_flush_atom) { lim->flush(); },
  });
  return p;
}

void connect_rate_limit(caf::actor_system& sys, rate_limit_parts& parts,
                        std::shared_ptr<const config::settings> cfg, bus_actor bus,
                        redis_actor redis, const edge_actor& edge) {
  parts.membership = rate::spawn_membership(sys, std::move(cfg), std::move(bus), std::move(redis),
                                            caf::actor_cast<rate_listener>(edge));
}

void flush_rate_limit(const edge_actor& edge) {
  caf::anon_send(caf::actor_cast<rate_listener>(edge), rl_flush_atom_v);
}

void stop_rate_limit(rate_limit_parts& parts) {
  if (parts.membership)
    caf::anon_send_exit(parts.membership, caf::exit_reason::user_shutdown);
}

} // namespace haven::app
