// An idle session actor is small (issue 14: <= 10 KiB each, so 100k idle
// sessions stay under 1 GB): 20,000 session actors spawned and left idle
// grow the process by far less than 10 KiB each, and stopping them (what
// passivation does) returns the memory to the allocator. A memory bound,
// not a timing one; the full-node figure is bench/run-chat's.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include <caf/all.hpp>
#include <malloc.h>

#include "actors/sessions/session_actor.hpp"
#include "messages/errors.hpp"
#include "messages/health.hpp"
#include "messages/sessions.hpp"
#include "messages/type_ids.hpp"

namespace haven::sessions {
namespace {

long rss_kib() {
  std::ifstream in{"/proc/self/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

struct memory_config : caf::actor_system_config {
  memory_config() {
    add_message_types<caf::id_block::haven>();
    add_message_types<caf::id_block::haven_safety>();
    add_message_types<caf::id_block::haven_sessions>();
    set("scheduler.max-threads", size_t{1});
  }
};

TEST(ConversationSessionMemory, IdleSessionActorsCostLittleAndPassivationReturnsIt) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "RSS is not a measure under ASan (quarantine, shadow memory)";
#endif
  constexpr int n = 20000;
  memory_config cfg;
  caf::actor_system sys{cfg};
  auto deps = std::make_shared<session_deps>();
  deps->cfg = std::make_shared<config::settings>();
  deps->metrics = std::make_shared<sessions_metrics>();
  std::shared_ptr<const session_deps> shared = deps;
  malloc_trim(0);
  auto before = rss_kib();
  std::vector<session_actor> actors;
  actors.reserve(n);
  for (int i = 0; i < n; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    actors.push_back(spawn_session(sys, shared, conversation_actor{}, id, i + 1, false));
  }
  // Each actor counts itself once its behavior starts (on a scheduler thread).
  for (int i = 0; i < 500 && deps->metrics->active.load() < n; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(deps->metrics->active.load(), n);
  auto active = rss_kib();
  auto per_session = (active - before) * 1024 / n;
  std::cout << "idle session actor: " << per_session << " bytes (RSS " << before << " -> " << active
            << " KiB for " << n << ")\n";
  EXPECT_LT(per_session, 10 * 1024);
  for (auto& a : actors)
    caf::anon_send(a, cv_stop_atom_v);
  actors.clear();
  for (int i = 0; i < 500 && deps->metrics->active.load() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(deps->metrics->active.load(), 0);
  malloc_trim(0);
  auto after = rss_kib();
  std::cout << "after passivation: RSS " << after << " KiB\n";
  EXPECT_LT(after - before, (active - before) / 2) << "passivation kept the memory";
}

} // namespace
} // namespace haven::sessions
