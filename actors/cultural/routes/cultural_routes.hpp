#pragma once

#include <memory>
#include <vector>

#include "actors/cultural/knowledge_base.hpp"
#include "io/http/exchange.hpp"

// GET /v1/cultural/context?locale=sw-KE&topic=grief (API.md section 5): no
// token (crisis help must never sit behind a login), limited by address (the
// rate limiter lists the route). Answered on the edge's thread from the
// read-only knowledge base: no actor hop, no store.

namespace haven::cultural {

std::vector<http::route_entry> cultural_routes(std::shared_ptr<const knowledge_base> base);

} // namespace haven::cultural
