#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "config/settings.hpp"
#include "messages/pg.hpp"

// Domain events (API.md section 9) and their row in the transactional outbox
// (ARCHITECTURE.md rule 5). Pure: no I/O here.

namespace haven::outbox {

struct event {
  std::string id;          // UUID v4 (new_event_id()); consumers dedupe by it
  std::string type;        // e.g. "user.registered"
  std::string occurred_at; // RFC 3339 UTC with milliseconds (format_rfc3339_ms())
  std::string node;        // node id of the writer
  std::string org_id;      // optional: empty = absent
  std::string request_id;  // optional: empty = absent
  std::string data_json;   // an already-serialized JSON object, inserted verbatim ("{}" if empty)
};

/// {"id","type","occurred_at","node","org_id"?,"request_id"?,"data":{…}} in
/// exactly that order, strings escaped, `data` raw.
std::string encode_event(const event& e);

/// "<prefix>.events.<type>"
std::string event_subject(std::string_view prefix, std::string_view type);

/// The parameterized INSERT of `e` into the outbox table. Put it in the same
/// pg_batch transaction as the change it announces, after the change's own
/// statements (their row locks order the events of one aggregate).
pg_statement outbox_insert(const event& e, std::string_view subject, std::string_view aggregate_id);

/// The one way a family announces a change: the outbox row of a fresh event
/// of `type` from this node (cfg.node_id) on <cfg.nats_prefix>.events.<type>,
/// for the same pg_batch transaction as the change, after its statements.
pg_statement event_statement(const config::settings& cfg, std::string type, std::string data_json,
                             std::string org_id, std::string request_id,
                             std::string_view aggregate_id);

/// A random UUID v4 from libsodium's CSPRNG (thread-safe). Event ids, crisis
/// event ids and moderation item ids are stored and shown: not predictable
/// (audit L11).
std::string new_event_id();

/// "2024-05-01T12:34:56.789Z"
std::string format_rfc3339_ms(std::chrono::system_clock::time_point t);

/// An event with a fresh id and the current time.
event make_event(std::string type, std::string node, std::string data_json, std::string org_id = {},
                 std::string request_id = {});

} // namespace haven::outbox
