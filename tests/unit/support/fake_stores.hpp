#pragma once

#include <memory>
#include <vector>

#include <caf/all.hpp>

#include "messages/bus.hpp"
#include "messages/errors.hpp"
#include "messages/pg.hpp"

// Fake PostgreSQL pool and outbox relay for deterministic actor tests
// (test_actor_system.hpp): they record what the actor under test sends and
// answer as the test says — commit, fail, or never answer.

namespace haven::test {

enum class store_mode { ok, fail, silent };

struct pg_record {
  std::vector<pg_batch> batches;
  store_mode mode = store_mode::ok;
  std::vector<caf::typed_response_promise<std::vector<pg_result>>> held; // silent mode
};

inline pg_pool_actor spawn_fake_pg(caf::actor_system& sys, std::shared_ptr<pg_record> rec) {
  // The record is a spawn argument, not a capture: CAF 0.17.6 dereferences a
  // null argument tuple when a function actor has none (UBSan stops there).
  auto fake = [](pg_pool_actor::pointer self,
                 std::shared_ptr<pg_record> rec) -> pg_pool_actor::behavior_type {
    return {
        [self, rec](pg_batch& b) -> caf::result<std::vector<pg_result>> {
          rec->batches.push_back(b);
          switch (rec->mode) {
            case store_mode::ok:
              return std::vector<pg_result>(b.statements.size());
            case store_mode::fail:
              return make_error(errc::dependency_unavailable, "postgres down");
            case store_mode::silent:
              break;
          }
          auto rp = self->make_response_promise<std::vector<pg_result>>();
          rec->held.push_back(rp);
          return rp;
        },
    };
  };
  return sys.spawn(fake, std::move(rec));
}

struct outbox_record {
  int pokes = 0;
};

inline outbox_relay_actor spawn_fake_outbox(caf::actor_system& sys,
                                            std::shared_ptr<outbox_record> rec) {
  auto fake = [](std::shared_ptr<outbox_record> rec) -> outbox_relay_actor::behavior_type {
    return {
        [rec](outbox_atom) { ++rec->pokes; },
        [](get_atom, outbox_atom) { return int64_t{0}; },
    };
  };
  return sys.spawn(fake, std::move(rec));
}

} // namespace haven::test
