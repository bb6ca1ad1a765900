#pragma once

#include <string>
#include <string_view>

// JetStream, spoken through its JSON API over plain NATS requests so that the
// bus actor never blocks: the stream for events and the publish-ack replies.
// Pure functions (unit-tested without a server).

namespace haven::nats {

/// The stream that stores `<prefix>.events.>` (one prefix per NATS account).
inline constexpr std::string_view events_stream = "HAVEN_EVENTS";

/// JetStream error codes the bus acts on.
inline constexpr int js_err_stream_name_in_use = 10058; // exists with another config
inline constexpr int js_err_not_enabled_for_account = 10039;
inline constexpr int js_err_not_enabled = 10076;

/// "<prefix>.events.>"
std::string events_filter(std::string_view prefix);

/// True when `subject` is "<prefix>.events.<something>".
bool is_event_subject(std::string_view prefix, std::string_view subject);

/// The API subject that creates the events stream (idempotent on the server
/// when the configuration is the same).
std::string stream_create_subject();

/// Its body: file storage, 2 minute duplicate window (the Nats-Msg-Id dedupe
/// that makes a relay retry harmless), events kept 7 days.
std::string stream_create_body(std::string_view prefix);

/// A JetStream reply: a publish ack {"stream":…,"seq":…,"duplicate"?:true}
/// or an API answer, either possibly {"error":{"code","err_code","description"}}.
struct js_reply {
  bool ok = false;        // valid JSON without an "error" member
  bool duplicate = false; // publish ack: the server already had this Nats-Msg-Id
  int code = 0;           // error.code (HTTP-like), 0 when none
  int err_code = 0;       // error.err_code (JetStream's own), 0 when none
  std::string description;
};

js_reply parse_js_reply(std::string_view json);

} // namespace haven::nats
