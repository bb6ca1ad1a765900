#pragma once

// Helpers of the status_*_test.cpp files (API.md section 7): PUT and GET of a
// stage, unique resource ids, and a Redis client actor (the node's own client,
// persistence/redis/) to read what the node stored: TTLs and the outbox.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <caf/all.hpp>

#include "config/settings.hpp"
#include "messages/health.hpp"
#include "messages/redis.hpp"
#include "messages/type_ids.hpp"
#include "persistence/redis/redis_client.hpp"
#include "tests/integration/safety_test_support.hpp"

namespace haven::test::status {

using namespace haven::test::safety;

inline std::string unique_resource(const std::string& tag) {
  static std::atomic<int> n{0};
  return tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n);
}

inline http_response put_stage(uint16_t port, const std::string& token, const std::string& id,
                               const std::string& stage, const std::string& body,
                               headers extra = {}) {
  return call(port, "PUT", "/v1/status/" + id + "/stages/" + stage, body, token, std::move(extra));
}

inline http_response get_status(uint16_t port, const std::string& token, const std::string& id) {
  return call(port, "GET", "/v1/status/" + id, {}, token);
}

/// The Redis client actor of the node's own code, on the suite's Redis.
class redis_probe {
 public:
  explicit redis_probe(uint16_t redis_port) : sys_{cfg_} {
    config::settings s;
    s.redis_host = "127.0.0.1";
    s.redis_port = redis_port;
    s.store_timeout_ms = 2000;
    redis_ = spawn_redis(sys_, s);
  }
  ~redis_probe() { caf::anon_send_exit(redis_, caf::exit_reason::user_shutdown); }

  /// The reply to one command, or nullopt when Redis did not answer.
  std::optional<redis_reply> run(std::vector<std::string> args) {
    std::optional<redis_reply> out;
    caf::scoped_actor self{sys_};
    self->request(redis_, std::chrono::seconds(10),
                  std::vector<redis_command>{redis_command{std::move(args)}})
        .receive(
            [&](std::vector<redis_reply>& rs) {
              if (!rs.empty())
                out = std::move(rs[0]);
            },
            [&](caf::error&) {});
    return out;
  }

  /// An integer reply (PTTL, XLEN, …), or -100 when there was none.
  int64_t integer(std::vector<std::string> args) {
    auto r = run(std::move(args));
    return r && r->kind == redis_reply::integer_kind ? r->integer : -100;
  }

 private:
  struct config_type : caf::actor_system_config {
    config_type() {
      add_message_types<caf::id_block::haven>();
      add_message_types<caf::id_block::haven_redis>();
    }
  };
  config_type cfg_;
  caf::actor_system sys_;
  redis_actor redis_;
};

inline std::string record_key(const std::string& id) {
  return "haven:status:" + id;
}
inline const char* outbox_key = "haven:status-outbox:events";

} // namespace haven::test::status
