#include "actors/crisis/routes/safety_rpc.hpp"

#include <functional>

#include <caf/all.hpp>
#include <simdjson.h>

#include "actors/auth/auth_gate.hpp"
#include "actors/crisis/crisis_actor.hpp"
#include "actors/crisis/routes/crisis_json.hpp"
#include "actors/crisis/routes/safety_fields.hpp"
#include "actors/moderation/routes/moderation_json.hpp"
#include "io/http/error_mapping.hpp"
#include "io/http/request_id.hpp"
#include "io/http/response.hpp"
#include "io/log/log.hpp"
#include "io/nats/message.hpp"
#include "persistence/outbox/event.hpp"

namespace haven::crisis {

namespace {

// The HTTP body limit (API.md section 1) holds here too.
constexpr size_t max_body_bytes = 64 * 1024;

struct ingress_state {
  ingress_deps d;
  std::unique_ptr<auth::auth_gate> gate; // this actor's own: never shared
  simdjson::dom::parser parser;
  size_t next_moderation = 0;
  std::string detect_subject, validate_subject;
  static inline const char* name = "safety_ingress";
};

using ingress_self = safety_ingress_actor::stateful_pointer<ingress_state>;

void reply(ingress_self self, const std::string& to, int status, const std::string& body) {
  bus_message m{to, {}, {}, rpc_reply(status, body)};
  self->request(self->state.d.bus, std::chrono::seconds(5), publish_atom_v, std::move(m))
      .then([](bool) {}, [](caf::error&) {}); // the requester times out on its own
}

void fail(ingress_self self, const std::string& to, const caf::error& err,
          const std::string& request_id) {
  auto r = http::map_error(err, request_id);
  reply(self, to, r.status, r.body);
}

// Sends `msg` to `actor`; replies 200 with encode(result) or the mapped error.
template <class T, class Actor, class Encode, class Msg>
void ask(ingress_self self, const Actor& actor, std::string to, std::string rid, Encode encode,
         Msg msg) {
  auto timeout = std::chrono::milliseconds(self->state.d.cfg->request_timeout_ms);
  self->request(actor, timeout, std::move(msg))
      .then([self, to, encode](T& res) { reply(self, to, 200, encode(res)); },
            [self, to, rid](caf::error& err) { fail(self, to, err, rid); });
}

std::string request_id_of(const bus_message& m) {
  for (auto name : {"Haven-Request-Id", "X-Request-ID"})
    if (auto* id = nats::find_header(m, name); id != nullptr && http::is_valid_request_id(*id))
      return *id;
  return outbox::new_event_id();
}

void on_request(ingress_self self, const bus_message& m) {
  auto& st = self->state;
  if (m.reply.empty())
    return; // not a request: nobody to answer
  auto rid = request_id_of(m);
  const std::string* authz = nats::find_header(m, "Authorization");
  if (authz == nullptr)
    authz = nats::find_header(m, "authorization");
  auto claims = st.gate->check(authz, auth::unix_now());
  if (!claims)
    return fail(self, m.reply, claims.error(), rid);
  if (m.data.size() > max_body_bytes)
    return reply(self, m.reply, 413,
                 http::error_body("payload_too_large", "the body is over 64 KiB", rid));
  simdjson::dom::element root;
  if (st.parser.parse(m.data).get(root) != simdjson::SUCCESS)
    return fail(self, m.reply, make_error(errc::invalid_json), rid);
  http::body_reader b{&root};
  auto caller = auth::to_session(*claims, rid);
  if (m.subject == st.detect_subject) {
    auto r = read_detect(b);
    if (!b.ok())
      return fail(self, m.reply, b.error(), rid);
    r.caller = std::move(caller);
    auto& shards = st.d.crisis;
    auto& actor =
        shards[std::hash<std::string>{}(shard_key(r.caller.user_id, r.session_id)) % shards.size()];
    ask<crisis_detect_result>(self, actor, m.reply, rid, detect_body, std::move(r));
  } else if (m.subject == st.validate_subject) {
    auto r = read_validate(b);
    if (!b.ok())
      return fail(self, m.reply, b.error(), rid);
    r.caller = std::move(caller);
    auto& actor = st.d.moderation[st.next_moderation++ % st.d.moderation.size()];
    ask<moderation_result>(self, actor, m.reply, rid, moderation::json_shapes::validate_body,
                           std::move(r));
  }
}

safety_ingress_actor::behavior_type ingress_behavior(ingress_self self, ingress_deps d) {
  auto& st = self->state;
  st.d = std::move(d);
  st.gate = std::make_unique<auth::auth_gate>(st.d.keys);
  auto prefix = st.d.cfg->nats_prefix;
  st.detect_subject = prefix + ".rpc.crisis.detect";
  st.validate_subject = prefix + ".rpc.safety.validate";
  for (auto& subject : {st.detect_subject, st.validate_subject})
    self->request(st.d.bus, caf::infinite, subscribe_atom_v, subject,
                  std::string{"haven-safety-rpc"}, caf::actor_cast<bus_listener>(self))
        .then([](bool) {},
              [subject](caf::error&) {
                log::warn("safety rpc: subscription failed", {{"subject", subject}});
              });
  self->send(st.d.revoker, subscribe_atom_v, caf::actor_cast<revocation_listener>(self));
  return {
      [self](bus_message& m) { on_request(self, m); },
      [self](revoke_atom, std::vector<revocation>& list) {
        self->state.gate->revoke(list, auth::unix_now());
      },
  };
}

} // namespace

std::string rpc_reply(int status, const std::string& body) {
  return "{\"status\":" + std::to_string(status) + ",\"body\":" + (body.empty() ? "null" : body) +
         "}";
}

safety_ingress_actor spawn_safety_ingress(caf::actor_system& sys, ingress_deps deps) {
  return sys.spawn(ingress_behavior, std::move(deps));
}

} // namespace haven::crisis
