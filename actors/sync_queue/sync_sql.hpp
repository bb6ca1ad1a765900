#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "actors/sync_queue/op_rules.hpp"
#include "messages/pg.hpp"
#include "messages/sync.hpp"

// The statements of the sync family (persistence/migrations/0006_sync.sql).
// All parameterized; lists travel as PostgreSQL array literals built from
// values the edge validated (UUIDs, integers) or escaped (text).

namespace haven::sync {

/// The constraint name sync_claim raises when the user's sync state moved
/// since it was read (another node wrote): read and plan again.
inline constexpr std::string_view claim_moved = "sync_state_moved";

/// State, stored outcomes of the upload's op ids and current entities of its
/// entity ids: three statements, parsed by read_view.
pg_batch read_batch(const sync_upload& upload);
store_view read_view(const std::vector<pg_result>& results);

/// One transaction: claim (row lock + revision check), the op outcomes, the
/// entities' new versions, the feed rows, then `events` (outbox inserts, one
/// per applied op) after the change they announce.
pg_batch write_batch(const sync_upload& upload, const store_view& view, const plan& p,
                     std::vector<pg_statement> events);

/// The caller's changes after `q.since_seq`, at most q.limit + 1 rows (the
/// extra row only says there is more).
pg_batch changes_batch(const sync_changes_query& q);
sync_changes_page read_changes(const sync_changes_query& q, const pg_result& rows);

/// {"a","b\"c",NULL}: a text[] literal (nullopt = NULL).
std::string text_array(const std::vector<const std::string*>& items);

} // namespace haven::sync
