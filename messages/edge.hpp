#pragma once

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/bus.hpp"
#include "messages/health.hpp"
#include "messages/type_ids.hpp"

namespace haven {

/// What the rest of the node may tell the HTTP edge: fresh health snapshots,
/// whether the node is ready to serve (migrations applied), and to drain
/// (SIGTERM: stop accepting, finish in-flight requests, then quit). The bus
/// hands it NATS rpc requests (API.md section 9), which run the HTTP route
/// they stand for.
using edge_actor =
    caf::typed_actor<caf::reacts_to<health_snapshot>, caf::reacts_to<ready_atom, bool>,
                     caf::reacts_to<drain_atom>, caf::reacts_to<bus_message>>;

} // namespace haven
