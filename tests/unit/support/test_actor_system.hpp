#pragma once

#include <memory>
#include <vector>

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <gtest/gtest.h>

#include "messages/auth.hpp"
#include "messages/bus.hpp"
#include "messages/health.hpp"
#include "messages/pg.hpp"
#include "messages/redis.hpp"
#include "messages/safety.hpp"
#include "messages/type_ids.hpp"

// An actor system whose scheduler runs only when the test says so (CAF's
// test_coordinator): messages are delivered one by one in a fixed order and
// timeouts fire only on trigger_timeouts(), so an actor test is deterministic
// and a timeout test takes no time. GoogleTest replaces CAF's own test DSL
// (caf/test/dsl.hpp), whose checks need CAF's test engine.

namespace haven::test {

struct test_actor_system {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::vector<caf::actor> spawned;

  test_actor_system() {
    cfg.add_message_types<caf::id_block::haven>();
    cfg.add_message_types<caf::id_block::haven_pg>();
    cfg.add_message_types<caf::id_block::haven_bus>();
    cfg.add_message_types<caf::id_block::haven_redis>();
    cfg.add_message_types<caf::id_block::haven_auth>();
    cfg.add_message_types<caf::id_block::haven_safety>();
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.set("logger.file-verbosity", caf::atom("quiet"));
    cfg.set("logger.console", caf::atom("none"));
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
  }

  /// Sends `req` to `h` as a request, runs the actors (and, with `expire`,
  /// fires every pending deadline), then returns the answer: a Result or the
  /// error. An unanswered request fails the test.
  template <class Result, class Handle, class Request>
  caf::expected<Result> ask(const Handle& h, Request req, bool expire = false) {
    caf::scoped_actor self{*sys};
    auto handle = self->request(h, caf::infinite, std::move(req));
    run();
    if (expire)
      expire_timeouts();
    caf::expected<Result> out{caf::error{}};
    bool answered = false;
    handle.receive(
        [&](Result& res) {
          out = std::move(res);
          answered = true;
        },
        [&](caf::error& err) {
          out = std::move(err);
          answered = true;
        });
    EXPECT_TRUE(answered);
    return out;
  }

  /// Actors the test spawned; the destructor stops them (the system's own
  /// destructor waits for every actor, and nothing runs them meanwhile).
  template <class Handle>
  Handle track(Handle h) {
    spawned.push_back(caf::actor_cast<caf::actor>(h));
    return h;
  }

  ~test_actor_system() {
    for (auto& a : spawned)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    spawned.clear();
    expire_timeouts(); // pending deadlines hold actors: fire them, then drain
    run();
  }

  /// Delivers every pending message and fires due timeouts until nothing is left.
  size_t run() {
    size_t events = 0;
    for (;;) {
      size_t progress = 0;
      while (sched->try_run_once())
        ++progress;
      if (progress == 0)
        return events;
      events += progress;
    }
  }

  /// Fires every pending timeout (request deadlines, delayed sends), then runs.
  size_t expire_timeouts() {
    size_t n = 0;
    while (sched->trigger_timeout())
      ++n;
    run();
    return n;
  }
};

} // namespace haven::test
