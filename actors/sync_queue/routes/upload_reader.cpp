#include "actors/sync_queue/routes/upload_reader.hpp"

#include <utility>
#include <vector>

#include "actors/auth/validation.hpp"
#include "io/http/body_reader.hpp"
#include "messages/errors.hpp"

namespace haven::sync {

namespace {

using simdjson::dom::element;
using issues = std::vector<std::pair<std::string, std::string>>;

// At most this many details in one 422: a 500-op upload with every op broken
// must not produce a 40 KiB error body.
constexpr size_t max_details = 20;

void reject(sync_op& op, std::string code, std::string field, std::string issue = {}) {
  op.reject = std::move(code);
  op.field = std::move(field);
  op.issue = std::move(issue);
}

// The checks of one op that reject only that op; the first broken rule wins.
void read_op_fields(simdjson::dom::object o, const schema_set& schemas, sync_op& op) {
  std::string_view s;
  if (o["entity"].get_string().get(s) != simdjson::SUCCESS)
    return reject(op, "invalid_entity", "entity", "required");
  const entity_schema* schema = schemas.find(s);
  if (schema == nullptr)
    return reject(op, "unknown_entity", "entity", "not_allowed");
  op.entity = std::string{s};
  if (o["entity_id"].get_string().get(s) != simdjson::SUCCESS)
    return reject(op, "invalid_entity_id", "entity_id", "required");
  op.entity_id = lower_ascii(s.substr(0, 64));
  if (!auth::valid_uuid(op.entity_id)) {
    op.entity_id.clear();
    return reject(op, "invalid_entity_id", "entity_id", "invalid");
  }
  if (o["kind"].get_string().get(s) != simdjson::SUCCESS || (s != "upsert" && s != "delete"))
    return reject(op, "invalid_kind", "kind", "not_allowed");
  op.is_delete = s == "delete";
  element v;
  int64_t base = -1;
  if (o["base_version"].get(v) != simdjson::SUCCESS ||
      v.get_int64().get(base) != simdjson::SUCCESS || base < 0)
    return reject(op, "invalid_base_version", "base_version", "invalid");
  op.base_version = base;
  if (o["client_ts"].get(v) == simdjson::SUCCESS && !v.is_null()) {
    if (v.get_string().get(s) != simdjson::SUCCESS || !is_client_time(s))
      return reject(op, "invalid_client_ts", "client_ts", "invalid_format");
  }
  if (op.is_delete)
    return; // a delete's payload is ignored
  if (o["payload"].get(v) != simdjson::SUCCESS || !v.is_object())
    return reject(op, "invalid_payload", "payload", "wrong_type");
  op.payload = simdjson::minify(v);
  if (op.payload.size() > max_payload_bytes) {
    op.payload.clear();
    return reject(op, "payload_too_large", "payload", "too_large");
  }
  if (auto bad = check_payload(*schema, v); !bad.issue.empty()) {
    op.payload.clear();
    return reject(op, "invalid_payload", std::move(bad.field), std::move(bad.issue));
  }
}

} // namespace

bool is_client_time(std::string_view s) {
  if (s.size() > 64)
    return false;
  if (is_rfc3339(s))
    return true;
  // The device's own clock, informational only: ISO 8601 without a zone
  // ("2026-05-01T10:00:00.123456", what many clients' defaults print) is
  // accepted too; the date part must be a date.
  if (s.size() < 10 || !is_rfc3339(std::string{s.substr(0, 10)} + "T00:00:00Z"))
    return false;
  if (s.size() > 10 && s[10] != 'T' && s[10] != 't' && s[10] != ' ')
    return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
      return false;
  return true;
}

std::string lower_ascii(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

caf::expected<sync_upload> read_upload(const element* body, const schema_set& schemas) {
  issues bad;
  std::string first;
  auto add = [&](std::string field, std::string issue, std::string message) {
    if (first.empty())
      first = std::move(message);
    if (bad.size() < max_details)
      bad.emplace_back(std::move(field), std::move(issue));
  };
  simdjson::dom::object root;
  if (body == nullptr || body->get_object().get(root) != simdjson::SUCCESS)
    return make_validation_error("body: must be a JSON object", {{"body", "invalid_type"}});
  sync_upload up;
  std::string_view s;
  element v;
  if (root["device_id"].get(v) != simdjson::SUCCESS)
    add("device_id", "required", "device_id: is required");
  else if (v.get_string().get(s) != simdjson::SUCCESS)
    add("device_id", "invalid_type", "device_id: must be a string");
  else if (s.empty() || http::utf8_length(s) > max_device_id_chars)
    add("device_id", s.empty() ? "too_short" : "too_long",
        "device_id: must be 1 to 128 characters");
  else
    up.device_id = std::string{s};
  simdjson::dom::array ops;
  if (root["ops"].get(v) != simdjson::SUCCESS)
    add("ops", "required", "ops: is required");
  else if (v.get_array().get(ops) != simdjson::SUCCESS)
    add("ops", "invalid_type", "ops: must be an array");
  else if (ops.size() > max_ops)
    add("ops", "too_many", "ops: at most 500 ops per upload");
  if (!bad.empty())
    return make_validation_error(first, bad);
  up.ops.reserve(ops.size());
  size_t i = 0;
  for (auto item : ops) {
    auto where = "ops[" + std::to_string(i++) + "]";
    simdjson::dom::object o;
    if (item.get_object().get(o) != simdjson::SUCCESS) {
      add(where, "invalid_type", where + ": must be an object");
      continue;
    }
    sync_op op;
    if (o["op_id"].get_string().get(s) != simdjson::SUCCESS) {
      add(where + ".op_id", "required", where + ".op_id: is required (a UUID)");
      continue;
    }
    op.op_id = lower_ascii(s.substr(0, 64));
    if (!auth::valid_uuid(op.op_id)) {
      add(where + ".op_id", "invalid", where + ".op_id: must be a UUID");
      continue;
    }
    if (!bad.empty())
      continue; // the request fails anyway: only collect the remaining issues
    read_op_fields(o, schemas, op);
    up.ops.push_back(std::move(op));
  }
  if (!bad.empty())
    return make_validation_error(first, bad);
  return up;
}

} // namespace haven::sync
