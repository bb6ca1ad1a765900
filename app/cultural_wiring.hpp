#pragma once

#include <vector>

#include <caf/expected.hpp>

#include "config/settings.hpp"
#include "io/http/exchange.hpp"

namespace haven::app {

/// Loads the cultural knowledge base (HAVEN_CULTURAL_DATA_DIR, see
/// actors/cultural/knowledge_base.hpp's find_data_dir) and returns its routes. Runs before the edge
/// exists, so the node is never ready without its data; a malformed file fails start-up with one
/// line naming it.
caf::expected<std::vector<http::route_entry>> start_cultural(const config::settings& cfg);

} // namespace haven::app
