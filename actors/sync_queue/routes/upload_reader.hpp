#pragma once

#include <cstddef>

#include <caf/expected.hpp>
#include <simdjson.h>

#include "actors/sync_queue/entity_schema.hpp"
#include "messages/sync.hpp"

// Reads POST /v1/sync/upload's body into typed ops (docs/sync.md, "What is
// checked where"). Whole-request problems are one 422 listing every field:
// the body is not an object, device_id is missing or not 1..128 characters,
// ops is not an array or holds more than max_ops, an op is not an object, or
// an op's op_id is missing or not a UUID (an op without a usable id cannot be
// made idempotent, so nothing of the upload is applied). Every other problem
// of an op rejects that op alone (sync_op::reject) and the rest proceed.

namespace haven::sync {

inline constexpr size_t max_ops = 500;
inline constexpr size_t max_payload_bytes = 16 * 1024; // the minified payload
inline constexpr size_t max_device_id_chars = 128;

/// The upload (user and request ids left for the caller), or
/// errc::validation_failed with details.
caf::expected<sync_upload> read_upload(const simdjson::dom::element* body,
                                       const schema_set& schemas);

/// A client_ts: RFC 3339, or ISO 8601 without a zone ("2026-05-01T10:00:00.123456"),
/// at most 64 printable ASCII characters.
bool is_client_time(std::string_view s);

/// Lower-cases ASCII letters (UUIDs are compared in their canonical form).
std::string lower_ascii(std::string_view s);

} // namespace haven::sync
