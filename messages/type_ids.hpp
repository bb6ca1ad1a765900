#pragma once

#include <caf/type_id.hpp>

// Every message type and atom Haven's actors exchange, registered in one place
// (cfg.add_message_types<caf::id_block::haven>() in app/). Each message family
// (messages/pg.hpp, bus.hpp, redis.hpp, …) has its own block, 100 ids apart.
// Atoms are caf::atom_constant and hold at most 10 characters.

namespace haven {
struct probe_result;
struct health_snapshot;
} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven, caf::first_custom_type_id)

CAF_ADD_TYPE_ID(haven, (haven::probe_result))
CAF_ADD_TYPE_ID(haven, (haven::health_snapshot))

CAF_ADD_ATOM(haven, haven, tick_atom, "tick")
CAF_ADD_ATOM(haven, haven, probe_atom, "probe")
CAF_ADD_ATOM(haven, haven, subscribe_atom, "subscribe")
CAF_ADD_ATOM(haven, haven, get_atom, "get")
CAF_ADD_ATOM(haven, haven, ready_atom, "ready")
CAF_ADD_ATOM(haven, haven, drain_atom, "drain")
CAF_ADD_ATOM(haven, haven, port_atom, "port")
CAF_ADD_ATOM(haven, haven, publish_atom, "publish")
CAF_ADD_ATOM(haven, haven, request_atom, "request")
CAF_ADD_ATOM(haven, haven, status_atom, "status")

CAF_END_TYPE_ID_BLOCK(haven)
