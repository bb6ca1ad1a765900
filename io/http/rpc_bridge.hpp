#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "io/http/request.hpp"
#include "messages/bus.hpp"

// NATS request-reply ingress (API.md section 9) as the HTTP edge sees it: an
// rpc request becomes the HTTP request it stands for and runs through the
// same route table, so the same actors, field rules, errors, token checks and
// rate-limit buckets apply. This file is the pure part: which subject is
// which route, what an acceptable reply subject is, the reply payload.

namespace haven::http {

/// The subjects served, relative to `<prefix>.rpc.`.
const std::vector<std::string_view>& rpc_subjects();

/// Only a NATS inbox may receive an answer: a reply subject such as
/// `haven.events.x` would make the node publish into its own event stream
/// under its own identity (audit M6, a confused deputy).
bool is_inbox_subject(std::string_view reply);

/// The rpc client, for the limits that count by client: its inbox prefix
/// ("_INBOX.<connection token>"), one per NATS connection in the common
/// clients; the whole subject when it has no second token.
std::string rpc_client_key(std::string_view reply);

enum class rpc_mapping { ok, unknown_subject, bad_fields };

/// Fills `out` (verb, target, path, query, headers, body) with the HTTP
/// request that rpc `m` stands for; `subject` is m.subject without
/// `<prefix>.rpc.`. `status.update` takes its path from the body's
/// `resource_id` and `stage` (bad_fields when they are missing or not plain
/// path segments).
rpc_mapping to_http_request(std::string_view subject, const bus_message& m, request& out);

/// The reply payload: {"status": status, "body": body}; `body` is JSON text
/// ("null" when empty).
std::string rpc_reply(int status, std::string_view body);

} // namespace haven::http
