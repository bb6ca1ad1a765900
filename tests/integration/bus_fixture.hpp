#pragma once

// The fixture of bus_test.cpp and bus_recovery_test.cpp: a real stack per
// test suite, an actor system and a bus actor per test.

#include <memory>

#include <gtest/gtest.h>

#include "io/nats/bus.hpp"
#include "messages/errors.hpp"
#include "tests/integration/bus_test_util.hpp"
#include "tests/integration/support/stack_test.hpp"

namespace haven::test {

using namespace std::chrono_literals;

inline bool is(const caf::error& e, errc code) {
  return e.category() == errc_category && e.code() == static_cast<uint8_t>(code);
}

class bus_fixture : public stack_test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(stack_test::SetUp());
    sys_ = std::make_unique<caf::actor_system>(bus_system_config(cfg_));
    bus_ = nats::spawn_bus(*sys_, bus_settings(the_stack()));
    ASSERT_TRUE(eventually([&] { return connected(); }, 10s)) << "bus never connected";
  }
  void TearDown() override {
    caf::anon_send_exit(bus_, caf::exit_reason::user_shutdown);
    bus_ = nullptr;
    sys_.reset();
    stack_test::TearDown();
  }

  bool connected() {
    caf::scoped_actor self{*sys_};
    bool up = false;
    self->request(bus_, 5s, status_atom_v).receive([&](bool b) { up = b; }, [](caf::error&) {});
    return up;
  }

  // Publishes through the bus; returns the error (none = accepted).
  caf::error publish(bus_message m) {
    caf::scoped_actor self{*sys_};
    caf::error err = caf::make_error(caf::sec::request_timeout);
    self->request(bus_, 10s, publish_atom_v, std::move(m))
        .receive(
            [&](bool ok) { err = ok ? caf::error{} : caf::make_error(caf::sec::invalid_argument); },
            [&](caf::error& e) { err = std::move(e); });
    return err;
  }

  caf::expected<bus_message> request(bus_message m, uint32_t timeout_ms) {
    caf::scoped_actor self{*sys_};
    caf::expected<bus_message> res{caf::make_error(caf::sec::request_timeout)};
    self->request(bus_, 10s, request_atom_v, std::move(m), timeout_ms)
        .receive([&](bus_message& r) { res = std::move(r); },
                 [&](caf::error& e) { res = std::move(e); });
    return res;
  }

  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  bus_actor bus_;
};

} // namespace haven::test
