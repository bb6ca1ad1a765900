#pragma once

// Helpers shared by bus_test.cpp and outbox_test.cpp: settings, and (from
// support/) the plain libnats client and the polling helper.

#include <string>

#include <caf/all.hpp>

#include "config/settings.hpp"
#include "io/nats/message.hpp"
#include "messages/bus.hpp"
#include "tests/integration/support/poll.hpp"
#include "tests/integration/support/raw_nats.hpp"
#include "tests/integration/support/stack.hpp"

namespace haven::test {

inline config::settings bus_settings(const stack& s) {
  config::settings cfg;
  cfg.nats_urls = {s.nats_url()};
  cfg.nats_prefix = "haven";
  cfg.node_id = "bus-test-node";
  cfg.pg_url = s.pg_url();
  return cfg;
}

inline caf::actor_system_config& bus_system_config(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::haven_bus>();
  cfg.set("scheduler.max-threads", size_t{2});
  return cfg;
}

inline const std::string* header(const bus_message& m, const char* name) {
  return nats::find_header(m, name);
}

} // namespace haven::test
