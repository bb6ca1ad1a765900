#include "actors/auth/revocation_actor.hpp"

#include <algorithm>

#include <caf/all.hpp>
#include <simdjson.h>

#include "actors/auth/auth_gate.hpp"
#include "base/json/json_writer.hpp"
#include "config/store_wait.hpp"
#include "persistence/redis/redis_key.hpp"

namespace haven::auth {

std::string encode_revocations(const std::string& node, const std::vector<revocation>& list) {
  json::writer w;
  w.begin_object().field("node", node).key("revocations").begin_array();
  for (auto& r : list)
    w.begin_object().field("kind", r.kind).field("id", r.id).field("until", r.until).end_object();
  w.end_array().end_object();
  return std::move(w).str();
}

std::vector<revocation> decode_revocations(std::string_view json) {
  std::vector<revocation> out;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::array list;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS ||
      doc["revocations"].get_array().get(list) != simdjson::SUCCESS)
    return out;
  for (auto item : list) {
    std::string_view kind, id;
    int64_t until = 0;
    if (item["kind"].get_string().get(kind) != simdjson::SUCCESS ||
        item["id"].get_string().get(id) != simdjson::SUCCESS ||
        item["until"].get_int64().get(until) != simdjson::SUCCESS ||
        (kind != "jti" && kind != "sid") || id.empty() || id.size() > 128)
      continue;
    out.push_back({std::string{kind}, std::string{id}, until});
  }
  return out;
}

namespace {

struct revoker_state {
  std::shared_ptr<const config::settings> cfg;
  redis_actor redis;
  bus_actor bus;
  std::vector<revocation_listener> listeners;
  bool reloading = false;
  static inline const char* name = "revocations";
};

using self_ptr = revocation_actor::stateful_pointer<revoker_state>;

std::chrono::milliseconds timeout(self_ptr self) {
  return config::store_wait(*self->state.cfg);
}

void push_local(self_ptr self, const std::vector<revocation>& list) {
  if (list.empty())
    return;
  for (auto& l : self->state.listeners)
    self->send(l, revoke_atom_v, list);
}

const std::string& key_prefix() {
  static const std::string p = redis_key("revoked", "");
  return p;
}

// One SCAN step plus MGET of the keys it found; continues until the cursor
// wraps to 0, then schedules the next reload.
void scan_step(self_ptr self, std::string cursor) {
  std::vector<redis_command> cmd{{{"SCAN", cursor, "MATCH", key_prefix() + "*", "COUNT", "1000"}}};
  auto finish = [self] {
    self->state.reloading = false;
    self->delayed_send(self, revocation_reload_interval, tick_atom_v);
  };
  self->request(self->state.redis, timeout(self), std::move(cmd))
      .then(
          [self, finish](std::vector<redis_reply>& r) {
            if (r.size() != 1 || r[0].kind != redis_reply::array_kind || r[0].elements.size() != 2)
              return finish();
            auto next = r[0].elements[0].str;
            std::vector<std::string> keys;
            for (auto& k : r[0].elements[1].elements)
              keys.push_back(k.str);
            auto more = [self, next, finish] {
              if (next == "0" || next.empty())
                finish();
              else
                scan_step(self, next);
            };
            if (keys.empty())
              return more();
            redis_command mget{{"MGET"}};
            for (auto& k : keys)
              mget.args.push_back(k);
            self->request(self->state.redis, timeout(self), std::vector<redis_command>{mget})
                .then(
                    [self, keys, more](std::vector<redis_reply>& v) {
                      std::vector<revocation> list;
                      if (v.size() == 1)
                        for (size_t i = 0; i < keys.size() && i < v[0].elements.size(); ++i) {
                          auto rest = std::string_view{keys[i]}.substr(key_prefix().size());
                          auto colon = rest.find(':');
                          auto& val = v[0].elements[i];
                          if (colon == std::string_view::npos ||
                              val.kind != redis_reply::string_kind)
                            continue;
                          int64_t until = 0;
                          try {
                            until = std::stoll(val.str);
                          } catch (...) {
                            continue;
                          }
                          list.push_back({std::string{rest.substr(0, colon)},
                                          std::string{rest.substr(colon + 1)}, until});
                        }
                      push_local(self, list);
                      more();
                    },
                    [finish](caf::error&) { finish(); });
          },
          [finish](caf::error&) { finish(); });
}

revocation_actor::behavior_type revoker(self_ptr self, std::shared_ptr<const config::settings> cfg,
                                        redis_actor redis, bus_actor bus) {
  self->state.cfg = std::move(cfg);
  self->state.redis = std::move(redis);
  self->state.bus = std::move(bus);
  self->request(self->state.bus, caf::infinite, subscribe_atom_v,
                self->state.cfg->nats_prefix + ".cluster.revoke", std::string{},
                caf::actor_cast<bus_listener>(self))
      .then([](bool) {}, [](caf::error&) {}); // NATS down: the Redis reload covers it
  self->send(self, tick_atom_v);
  return {
      [self](revoke_atom, std::vector<revocation>& list) -> bool {
        push_local(self, list);
        auto now = unix_now();
        std::vector<redis_command> cmds;
        for (auto& r : list) {
          if (r.until <= now)
            continue;
          cmds.push_back({{"SET", redis_key("revoked", r.kind + ":" + r.id),
                           std::to_string(r.until), "PX", std::to_string((r.until - now) * 1000)}});
        }
        if (!cmds.empty())
          self->request(self->state.redis, timeout(self), std::move(cmds))
              .then([](std::vector<redis_reply>&) {}, [](caf::error&) {});
        bus_message m;
        m.subject = self->state.cfg->nats_prefix + ".cluster.revoke";
        m.data = encode_revocations(self->state.cfg->node_id, list);
        self->request(self->state.bus, timeout(self), publish_atom_v, std::move(m))
            .then([](bool) {}, [](caf::error&) {});
        return true;
      },
      [self](subscribe_atom, revocation_listener& l) {
        self->state.listeners.push_back(std::move(l));
      },
      [self](bus_message& m) {
        // Only nodes may publish on <prefix>.cluster. (deploy/nats-server.conf);
        // even so, an entry never outlives the longest token it could stop, so
        // a forged one cannot be permanent (audit M6).
        auto list = decode_revocations(m.data);
        const auto& cfg = *self->state.cfg;
        int64_t latest = unix_now() + std::max<int64_t>(cfg.access_ttl_s, cfg.refresh_ttl_s) + 60;
        for (auto& r : list)
          r.until = std::min(r.until, latest);
        push_local(self, list);
      },
      [self](tick_atom) {
        if (self->state.reloading)
          return;
        self->state.reloading = true;
        scan_step(self, "0");
      },
  };
}

} // namespace

revocation_actor spawn_revocation_actor(caf::actor_system& sys,
                                        std::shared_ptr<const config::settings> cfg,
                                        redis_actor redis, bus_actor bus) {
  return sys.spawn(revoker, std::move(cfg), std::move(redis), std::move(bus));
}

} // namespace haven::auth
