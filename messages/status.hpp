#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "messages/auth.hpp"
#include "messages/type_ids.hpp"

// The processing-status family's messages (API.md section 7): the status
// actor (actors/status/status_actor.hpp) and the relay that moves its
// Redis-side outbox to NATS (actors/status/status_relay.hpp). Register with
// cfg.add_message_types<caf::id_block::haven_status>(). A stage's `message`
// is user text: it travels in these messages and answers, never in logs or
// events.

namespace haven {
struct stage_view;
struct status_view;
struct status_update;
} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven_status, caf::first_custom_type_id + 700)
CAF_ADD_TYPE_ID(haven_status, (haven::stage_view))
CAF_ADD_TYPE_ID(haven_status, (std::vector<haven::stage_view>))
CAF_ADD_TYPE_ID(haven_status, (haven::status_view))
CAF_ADD_TYPE_ID(haven_status, (haven::status_update))
CAF_ADD_ATOM(haven_status, haven, st_get_atom, "st_get")
CAF_ADD_ATOM(haven_status, haven, st_poke_atom, "st_poke")
CAF_END_TYPE_ID_BLOCK(haven_status)

namespace haven {

/// One stage as GET shows it. A stage never written is "pending", progress 0,
/// no message, no updated_at.
struct stage_view {
  std::string status = "pending";
  int32_t progress = 0;
  std::string message;
  bool has_message = false;
  std::string updated_at; // RFC 3339; empty = never written (null)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stage_view& x) {
  return f(caf::meta::type_name("stage_view"), x.status, x.progress, x.message, x.has_message,
           x.updated_at);
}

/// GET /v1/status/{resource_id} and the answer of an update. `stages` holds
/// all five in API order (ingestion, quality, taxonomy, graph, embedding).
struct status_view {
  std::string resource_id, overall, updated_at;
  std::vector<stage_view> stages;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, status_view& x) {
  return f(caf::meta::type_name("status_view"), x.resource_id, x.overall, x.updated_at, x.stages);
}

/// PUT /v1/status/{resource_id}/stages/{stage}, validated by the edge
/// (resource id, stage and status are known names; progress 0..100 or -1
/// when absent; message at most 1024 characters).
struct status_update {
  session_ref caller;
  std::string resource_id, stage, status;
  int32_t progress = -1;
  std::string message;
  bool has_message = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, status_update& x) {
  return f(caf::meta::type_name("status_update"), x.caller, x.resource_id, x.stage, x.status,
           x.progress, x.message, x.has_message);
}

/// The status actor: an update answers the record after it (errc::not_found
/// for a record another user owns); `st_get` reads one. Redis down:
/// errc::dependency_unavailable.
using status_actor =
    caf::typed_actor<caf::replies_to<status_update>::with<status_view>,
                     caf::replies_to<st_get_atom, session_ref, std::string>::with<status_view>>;

/// The relay of the status outbox: `st_poke` = look for new events now (sent
/// after each committed update); `tick` is its own polling timer.
using status_relay_actor =
    caf::typed_actor<caf::reacts_to<st_poke_atom>, caf::reacts_to<tick_atom>>;

} // namespace haven
