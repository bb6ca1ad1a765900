#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/sessions/data_key.hpp"
#include "messages/pg.hpp"
#include "messages/sessions.hpp"

// Every SQL statement of the conversations family (parameterized only) and the
// readers of their rows. Sealed bytes travel as bytea in hex text form.

namespace haven::sessions {

/// A session row as a session actor caches it.
struct session_row {
  std::string user_id;
  int64_t version = 0;
  int max_risk = 0; // 0 none .. 4 critical
};

/// SELECT user_id, version, max_risk_level of session `id`.
pg_statement load_session(const std::string& id);
/// The row, or nothing when the result has none (unknown session).
std::optional<session_row> read_session(const pg_result& r);

/// One turn as committed: the user's message and the reply, sealed.
struct turn_rows {
  std::string session_id, user_id;
  std::string user_message_id, reply_message_id;
  sealed_text user_text, reply_text; // both under the same (current) key
  int risk = 0;                      // the turn's reported level, 0..4
};

/// The turn of an existing session at `version`: bumps the version and the
/// counters and inserts both messages in one statement; 0 rows affected = the
/// version moved on (another node committed a turn) or the session is gone.
pg_statement commit_turn(const turn_rows& t, int64_t version);
/// The first turn of a new session: inserts the session (version 1) and both
/// messages in one statement; a taken id is a conflict (never in practice).
pg_statement commit_first_turn(const turn_rows& t);

/// The owner's sessions, newest first (at most `limit`).
pg_statement list_sessions(const std::string& user_id, uint32_t limit);
std::vector<session_summary> read_sessions(const pg_result& r);

/// The session's owner: one row (user_id) or none.
pg_statement session_owner(const std::string& session_id);
/// The seq of message `id` in `session_id`: one row or none.
pg_statement message_seq(const std::string& session_id, const std::string& id);
/// At most `limit` messages of the session with seq < `before_seq` (none =
/// from the newest), newest first; sealed.
pg_statement list_messages(const std::string& session_id, uint32_t limit,
                           std::optional<int64_t> before_seq);

/// A sealed message row as listed.
struct stored_message {
  std::string id, role, created_at;
  sealed_text sealed;
};
std::vector<stored_message> read_messages(const pg_result& r);

/// The last `limit` messages of the session, newest first (provider history).
pg_statement recent_messages(const std::string& session_id, uint32_t limit);

/// Deletes the session of `user_id` (its messages go with it: ON DELETE
/// CASCADE); 1 row affected, or 0 when unknown or someone else's.
pg_statement delete_session(const std::string& session_id, const std::string& user_id);

/// `haven reencrypt`: up to `limit` messages not sealed under `key_id` with an
/// id after `after_id` (keyset paging, so rows no key opens are passed once),
/// with what opening them needs (id, user_id, key_id, nonce, ciphertext).
pg_statement rows_to_reencrypt(const std::string& key_id, const std::string& after_id,
                               uint32_t limit);
/// Rewrites one message's seal when it still has `old_key_id` (a concurrent
/// delete or rewrite wins).
pg_statement reseal(const std::string& id, const std::string& old_key_id, const sealed_text& s);

/// bytea hex text ("\x0a1b...") <-> raw bytes.
std::string to_bytea_hex(const std::string& raw);
std::optional<std::string> from_bytea_hex(const std::string& text);

/// 0..4 <-> "none".."critical".
const char* risk_name(int level);
int risk_rank(std::string_view name);

} // namespace haven::sessions
