#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "messages/type_ids.hpp"

// The NATS bus actor's contract (API.md section 9).

namespace haven {

struct bus_header {
  std::string name;
  std::string value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bus_header& x) {
  return f(caf::meta::type_name("bus_header"), x.name, x.value);
}

/// A message to or from NATS. `subject` is the full subject (prefix included).
struct bus_message {
  std::string subject;
  std::string reply; // reply subject of an incoming request, else empty
  std::vector<bus_header> headers;
  std::string data;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bus_message& x) {
  return f(caf::meta::type_name("bus_message"), x.subject, x.reply, x.headers, x.data);
}

/// Names the outbox relay in its messages (see outbox_relay_actor).
using outbox_atom = caf::atom_constant<caf::atom("outbox")>;
constexpr outbox_atom outbox_atom_v = outbox_atom{};

/// Receives the messages of a subscription.
using bus_listener = caf::typed_actor<caf::reacts_to<bus_message>>;

/// The bus actor. `publish` replies true once NATS accepted the message (a
/// JetStream ack for event subjects when JetStream is on, else a flush), or
/// errc::dependency_unavailable (NATS down, no ack in time); it never replies
/// false. The batch form publishes in order and replies how many messages,
/// counted from the first, were accepted (at least 1; else the error): the
/// caller retries the rest. Messages on `<prefix>.events.` should carry a
/// `Haven-Event-Id` header: it becomes the JetStream `Nats-Msg-Id` (dedupe).
/// An incoming request is answered by publishing to its `reply` subject.
/// `request` is NATS request-reply (errc::not_found when nobody listens,
/// errc::dependency_unavailable when NATS is down or the reply times out);
/// `subscribe` delivers every message on `subject` (wildcards allowed) to the
/// listener, optionally as a member of a queue group.
using bus_actor = caf::typed_actor<
    caf::replies_to<publish_atom, bus_message>::with<bool>,
    caf::replies_to<publish_atom, std::vector<bus_message>>::with<uint32_t /*accepted*/>,
    caf::replies_to<request_atom, bus_message, uint32_t /*timeout ms*/>::with<bus_message>,
    caf::replies_to<subscribe_atom, std::string /*subject*/, std::string /*queue group*/,
                    bus_listener>::with<bool>,
    caf::replies_to<status_atom>::with<bool /*connected*/>>;

/// The outbox relay (persistence/outbox/relay.hpp). `outbox` asks it to look
/// for new rows now (send it after committing outbox rows; it also polls);
/// `get, outbox` answers the outbox depth (rows waiting, counted about once a
/// second; -1 until the first count). Answers come between relay cycles.
using outbox_relay_actor = caf::typed_actor<caf::reacts_to<outbox_atom>,
                                            caf::replies_to<get_atom, outbox_atom>::with<int64_t>>;

namespace nats {

/// Header names of API.md section 9 (every event carries both ids) and the
/// JetStream dedupe header the bus sets from the event id.
inline constexpr const char* header_event_id = "Haven-Event-Id";
inline constexpr const char* header_request_id = "Haven-Request-Id";
inline constexpr const char* header_msg_id = "Nats-Msg-Id";

} // namespace nats

} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven_bus, caf::first_custom_type_id + 200)
CAF_ADD_TYPE_ID(haven_bus, (haven::bus_header))
CAF_ADD_TYPE_ID(haven_bus, (haven::bus_message))
CAF_ADD_TYPE_ID(haven_bus, (std::vector<haven::bus_message>))
CAF_END_TYPE_ID_BLOCK(haven_bus)
