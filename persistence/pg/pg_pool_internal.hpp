#pragma once

// Between the pool's front actor and its connection workers; not a contract
// for anyone else (that is messages/pg.hpp).

#include <chrono>
#include <cstdint>
#include <string>

#include <caf/fwd.hpp>
#include <caf/typed_actor.hpp>

#include "messages/pg.hpp"
#include "messages/type_ids.hpp"

namespace haven::pg {

/// The front delegates each batch to a worker, which answers the caller
/// directly (one hop less) and then tells the front it is free again, with the
/// state of its connection and whether the batch succeeded.
using done_atom = caf::atom_constant<caf::atom("pg_done")>;
constexpr done_atom done_atom_v = done_atom{};
enum class link_state : uint8_t {
  up,             // the connection works (after a successful connect, too)
  down,           // the connection broke during the batch (server restart, timeout)
  connect_failed, // no connection could be made: the circuit breaker opens
};

using worker_actor = caf::typed_actor<caf::replies_to<pg_batch>::with<std::vector<pg_result>>>;

using front_actor = pg_pool_actor::extend<
    caf::reacts_to<done_atom, uint32_t /*worker*/, uint8_t /*link_state*/, bool /*ok*/>,
    caf::replies_to<pg_stats_atom>::with<pg_pool_stats>, caf::reacts_to<tick_atom>>;

struct worker_config {
  std::string conninfo;
  std::chrono::milliseconds query_timeout{2000};
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds cancel_grace{1000};
};

/// Spawns a detached, linked worker owning one connection (connected lazily,
/// on its first batch). Blocking libpq calls happen only on its own thread.
worker_actor spawn_worker(caf::local_actor* parent, const worker_config& cfg, uint32_t index);

} // namespace haven::pg
