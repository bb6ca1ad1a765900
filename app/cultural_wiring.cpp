#include "app/cultural_wiring.hpp"

#include "actors/cultural/knowledge_base.hpp"
#include "actors/cultural/routes/cultural_routes.hpp"
#include "base/log/log.hpp"
#include "messages/errors.hpp"

namespace haven::app {

caf::expected<std::vector<http::route_entry>> start_cultural(const config::settings& cfg) {
  auto dir = cultural::find_data_dir(cfg.cultural_data_dir);
  auto loaded = cultural::load_knowledge_base(dir);
  if (!loaded.base)
    return make_error(errc::internal, "cultural data (" + dir + "): " + loaded.error);
  log::info("cultural context loaded",
            {{"dir", dir}, {"entries", std::to_string(loaded.base->size()), false}});
  return cultural::cultural_routes(std::move(loaded.base));
}

} // namespace haven::app
