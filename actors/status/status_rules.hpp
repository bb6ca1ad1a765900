#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messages/auth.hpp"
#include "messages/status.hpp"

// The pure rules of processing status (API.md section 7): stage and status
// names, the overall rule, the resource id rule, who may see a record, and
// how a stored record reads back. No actors, no I/O (ARCHITECTURE.md rule 9).

namespace haven::status {

/// The five stages, in the order GET lists them.
inline constexpr std::array<std::string_view, 5> stage_names{"ingestion", "quality", "taxonomy",
                                                             "graph", "embedding"};
inline constexpr size_t stage_count = stage_names.size();

enum class state : uint8_t { pending, processing, completed, failed };

/// "pending|processing|completed|failed", else nullopt.
std::optional<state> parse_state(std::string_view s);
std::string_view to_string(state s);

/// The stage's index in stage_names, else nullopt (an unknown stage is 404).
std::optional<size_t> stage_index(std::string_view stage);

/// failed if any stage failed, else processing if any is processing, else
/// completed if all five are completed, else pending.
state overall(const std::array<state, stage_count>& stages);

/// Resource ids are chosen by the client: 1..128 of [A-Za-z0-9._-] (UUIDs
/// fit). Anything else is 422 on every route, before Redis is asked.
inline constexpr size_t max_resource_id = 128;
bool valid_resource_id(std::string_view id);

/// A stage's message: at most this many characters (code points), i.e. at
/// most 4 KiB of UTF-8.
inline constexpr size_t max_message_chars = 1024;

/// Records live 24 h after their last update (the TTL is set again by each).
inline constexpr std::chrono::milliseconds record_ttl{std::chrono::hours{24}};

/// Who may read or write a record once it has an owner: the owner, and the
/// admins of the owner's organization (the one the owner had at the first
/// write). Everyone else gets 404, as if it did not exist. The Lua update
/// script (status_script.cpp) applies the same rule inside Redis.
bool may_access(std::string_view owner, std::string_view owner_org, const session_ref& caller);

/// A record as stored (a Redis hash, status_script.hpp) read back.
struct stored_record {
  std::string owner, org;
  status_view view;
};

/// Decodes HGETALL's flat field/value list. nullopt when there is no owner
/// (no record, or it expired).
std::optional<stored_record> decode_record(std::string resource_id,
                                           const std::vector<std::string>& flat);

/// The `data` of a status.updated event: resource_id, stage, status,
/// progress, overall. Never the message (user text).
std::string event_data_json(std::string_view resource_id, std::string_view stage,
                            std::string_view status, int64_t progress, std::string_view overall);

} // namespace haven::status
