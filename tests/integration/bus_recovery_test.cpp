// The bus when NATS is down, comes back, starts late or lacks JetStream.
#include <csignal>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/integration/bus_fixture.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;
using haven::bus_listener;
using haven::bus_message;
using haven::test::eventually;
using haven::test::is;
using haven::test::raw_nats;
using BusRecovery = haven::test::bus_fixture;

TEST_F(BusRecovery, nats_down_fails_fast_and_recovers_with_subscriptions) {
  caf::scoped_actor self{*sys_};
  self->request(bus_, 5s, haven::subscribe_atom_v, std::string{"haven.cluster.after"},
                std::string{}, caf::actor_cast<bus_listener>(self))
      .receive([](bool) {}, [](caf::error& e) { ADD_FAILURE() << to_string(e); });
  stack_->stop("nats");
  ASSERT_TRUE(eventually([&] { return !connected(); }, 10s));
  auto start = std::chrono::steady_clock::now();
  auto err = publish({"haven.events.bus_test.down", "", {{"Haven-Event-Id", "down-1"}}, "{}"});
  EXPECT_TRUE(is(err, haven::errc::dependency_unavailable)) << to_string(err);
  auto r = request({"haven.rpc.echo", "", {}, "x"}, 2000);
  ASSERT_FALSE(r);
  EXPECT_TRUE(is(r.error(), haven::errc::dependency_unavailable));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms); // no waiting for a timeout
  stack_->start("nats");
  ASSERT_TRUE(eventually([&] { return connected(); }, 15s)) << "no reconnect";
  ASSERT_TRUE(eventually(
      [&] {
        return !publish({"haven.events.bus_test.up", "", {{"Haven-Event-Id", "up-1"}}, "{}"});
      },
      10s));
  raw_nats raw{stack_->nats_url()};
  natsConnection_PublishString(raw.get(), "haven.cluster.after", "again");
  natsConnection_Flush(raw.get());
  bool got = false;
  self->receive([&](bus_message& m) { got = m.data == "again"; }, caf::after(5s) >> [] {});
  EXPECT_TRUE(got) << "subscription not restored after reconnect";
}

TEST(BusStartup, starts_while_nats_is_down_and_connects_later) {
  haven::test::stack s;
  s.stop("nats");
  caf::actor_system_config cfg;
  caf::actor_system sys{haven::test::bus_system_config(cfg)};
  const auto t0 = std::chrono::steady_clock::now();
  auto bus = haven::nats::spawn_bus(sys, haven::test::bus_settings(s));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  caf::scoped_actor self{sys};
  auto status = [&] {
    bool up = false;
    self->request(bus, 5s, haven::status_atom_v)
        .receive([&](bool b) { up = b; }, [](caf::error&) {});
    return up;
  };
  EXPECT_FALSE(status());
  std::this_thread::sleep_for(1s);
  s.start("nats");
  EXPECT_TRUE(eventually(status, 15s));
  bool ok = false;
  eventually(
      [&] {
        self->request(
                bus, 10s, haven::publish_atom_v,
                bus_message{"haven.events.bus_test.late", "", {{"Haven-Event-Id", "late-1"}}, "{}"})
            .receive([&](bool b) { ok = b; }, [](caf::error&) {});
        return ok;
      },
      10s);
  EXPECT_TRUE(ok);
  caf::anon_send_exit(bus, caf::exit_reason::user_shutdown);
}

// A nats-server without -js: events fall back to core publish + flush.
TEST(BusStartup, without_jetstream_events_use_core_publish) {
  const auto port = haven::test::free_ports(1)[0];
  const std::string port_s = std::to_string(port);
  const char* argv[] = {"nats-server", "-a", "127.0.0.1", "-p", port_s.c_str(), nullptr};
  pid_t pid = 0;
  posix_spawn_file_actions_t quiet; // its log would clutter the test output
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
  ASSERT_EQ(posix_spawnp(&pid, "nats-server", &quiet, nullptr, const_cast<char**>(argv), environ),
            0);
  posix_spawn_file_actions_destroy(&quiet);
  const std::string url = "nats://127.0.0.1:" + port_s;
  {
    caf::actor_system_config cfg;
    caf::actor_system sys{haven::test::bus_system_config(cfg)};
    haven::config::settings settings;
    settings.nats_urls = {url};
    settings.node_id = "no-js";
    auto bus = haven::nats::spawn_bus(sys, settings);
    caf::scoped_actor self{sys};
    ASSERT_TRUE(eventually(
        [&] {
          bool up = false;
          self->request(bus, 5s, haven::status_atom_v)
              .receive([&](bool b) { up = b; }, [](caf::error&) {});
          return up;
        },
        10s));
    raw_nats raw{url};
    auto* sub = raw.subscribe("haven.events.>");
    bool ok = false;
    self->request(bus, 10s, haven::publish_atom_v,
                  bus_message{"haven.events.nojs.x", "", {{"Haven-Event-Id", "nojs-1"}}, "{}"})
        .receive([&](bool b) { ok = b; }, [&](caf::error& e) { ADD_FAILURE() << to_string(e); });
    EXPECT_TRUE(ok);
    auto got = raw_nats::next(sub, 5s);
    ASSERT_TRUE(got);
    EXPECT_EQ(*haven::test::header(*got, "Haven-Event-Id"), "nojs-1");
    natsSubscription_Destroy(sub);
    caf::anon_send_exit(bus, caf::exit_reason::user_shutdown);
  }
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
}

} // namespace
