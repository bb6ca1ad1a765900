#pragma once

#include <memory>
#include <vector>

#include "actors/auth/auth_gate.hpp"
#include "actors/sync_queue/entity_schema.hpp"
#include "io/http/exchange.hpp"
#include "messages/sync.hpp"

// The HTTP translation of API.md section 6. Handlers run on the edge's
// thread: check the token with the auth gate (no hop), read and check the
// body (upload_reader.hpp: whole-request problems are one 422, per-op
// problems reject that op), and send ONE typed request to the sync actor.

namespace haven::sync {

struct sync_route_deps {
  std::shared_ptr<auth::auth_gate> gate;
  std::shared_ptr<const schema_set> schemas;
  sync_actor sync;
  size_t max_upload_body_bytes = 4u << 20; // HAVEN_MAX_UPLOAD_BODY_BYTES
};

/// POST /v1/sync/upload and GET /v1/sync/changes.
std::vector<http::route_entry> sync_routes(const sync_route_deps& d);

/// Feed page sizes: 1..500, 100 when absent.
inline constexpr uint32_t default_page = 100;
inline constexpr uint32_t max_page = 500;

} // namespace haven::sync
