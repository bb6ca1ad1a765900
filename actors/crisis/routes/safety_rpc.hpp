#pragma once

#include <memory>
#include <vector>

#include <caf/actor_system.hpp>

#include "actors/auth/signing_keys.hpp"
#include "config/settings.hpp"
#include "messages/auth.hpp"
#include "messages/bus.hpp"
#include "messages/safety.hpp"

// NATS request-reply ingress for `<prefix>.rpc.crisis.detect` and
// `<prefix>.rpc.safety.validate` (API.md section 9): the same JSON bodies and
// field rules as HTTP (safety_fields.hpp), the token in the NATS header
// `Authorization: Bearer …`, and the reply {"status": <http status>, "body":
// <the HTTP body>} published to the request's reply subject. The actor keeps
// its own auth_gate (same keys; its own verified-token cache and revoked set,
// fed by the revocation actor like the edge's), so no state is shared with
// the edge thread. Subscribed in the queue group "haven-safety-rpc": one node
// answers each request.

namespace haven::crisis {

struct ingress_deps {
  std::shared_ptr<const config::settings> cfg;
  std::shared_ptr<const auth::signing_keys> keys;
  bus_actor bus;
  revocation_actor revoker;
  std::vector<crisis_actor> crisis;
  std::vector<moderation_actor> moderation;
};

/// Spawns the ingress and subscribes it to the two subjects and to the revoker.
safety_ingress_actor spawn_safety_ingress(caf::actor_system& sys, ingress_deps deps);

/// The reply payload: {"status": status, "body": body} (`body` is JSON text).
std::string rpc_reply(int status, const std::string& body);

} // namespace haven::crisis
