#include "actors/sessions/sessions_sql.hpp"

#include <sodium.h>

namespace haven::sessions {

namespace {

// RFC 3339 UTC with milliseconds, like the crisis and moderation listings.
std::string rfc3339(const std::string& expr) {
  return "to_char(" + expr + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

const std::string& text_of(const pg_value& v) {
  return v.text;
}

// The two messages of a turn from the CTE `s` (which yields the new version):
// seq 2n for the user's message, 2n + 1 for the reply.
const char* insert_messages =
    "INSERT INTO conversation_messages (id, session_id, user_id, seq, role, key_id, nonce, "
    "ciphertext) "
    "SELECT m.id, $1::uuid, $2::uuid, s.version * 2 + m.k, m.role, $4, m.nonce, m.ct "
    "FROM s, (VALUES ($5::uuid, 0, 'user', $6::bytea, $7::bytea), "
    "($8::uuid, 1, 'assistant', $9::bytea, $10::bytea)) AS m(id, k, role, nonce, ct)";

std::vector<pg_value> turn_params(const turn_rows& t, std::string third) {
  return {pg_value::of(t.session_id),
          pg_value::of(t.user_id),
          pg_value::of(std::move(third)),
          pg_value::of(t.user_text.key_id),
          pg_value::of(t.user_message_id),
          pg_value::of(to_bytea_hex(t.user_text.nonce)),
          pg_value::of(to_bytea_hex(t.user_text.ciphertext)),
          pg_value::of(t.reply_message_id),
          pg_value::of(to_bytea_hex(t.reply_text.nonce)),
          pg_value::of(to_bytea_hex(t.reply_text.ciphertext)),
          pg_value::of(std::to_string(t.risk))};
}

} // namespace

pg_statement load_session(const std::string& id) {
  return {"SELECT user_id::text, version, max_risk_level FROM conversation_sessions "
          "WHERE id = $1::uuid",
          {pg_value::of(id)}};
}

std::optional<session_row> read_session(const pg_result& r) {
  if (r.rows.empty() || r.rows[0].size() < 3)
    return std::nullopt;
  session_row s;
  s.user_id = r.rows[0][0].text;
  s.version = std::stoll(r.rows[0][1].text);
  s.max_risk = std::stoi(r.rows[0][2].text);
  return s;
}

pg_statement commit_turn(const turn_rows& t, int64_t version) {
  return {std::string{"WITH s AS (UPDATE conversation_sessions SET version = version + 1, "
                      "message_count = message_count + 2, "
                      "max_risk_level = GREATEST(max_risk_level, $11::smallint), "
                      "last_message_at = clock_timestamp() "
                      "WHERE id = $1::uuid AND user_id = $2::uuid AND version = $3::bigint "
                      "RETURNING version) "} +
              insert_messages,
          turn_params(t, std::to_string(version))};
}

pg_statement commit_first_turn(const turn_rows& t) {
  // $3 is unused by the SQL but keeps the parameter numbers of commit_turn.
  return {std::string{"WITH s AS (INSERT INTO conversation_sessions (id, user_id, version, "
                      "message_count, max_risk_level, last_message_at) "
                      "SELECT $1::uuid, $2::uuid, 1, 2, $11::smallint, clock_timestamp() "
                      "WHERE $3::text IS NOT NULL RETURNING version) "} +
              insert_messages,
          turn_params(t, "1")};
}

pg_statement list_sessions(const std::string& user_id, uint32_t limit) {
  return {"SELECT id::text, " + rfc3339("created_at") + ", " + rfc3339("last_message_at") +
              ", message_count, max_risk_level FROM conversation_sessions "
              "WHERE user_id = $1::uuid "
              "ORDER BY COALESCE(last_message_at, created_at) DESC, id DESC LIMIT $2::int",
          {pg_value::of(user_id), pg_value::of(std::to_string(limit))}};
}

std::vector<session_summary> read_sessions(const pg_result& r) {
  std::vector<session_summary> out;
  out.reserve(r.rows.size());
  for (const auto& row : r.rows) {
    session_summary s;
    s.id = text_of(row[0]);
    s.created_at = text_of(row[1]);
    s.last_message_at = row[2].is_null ? std::string{} : text_of(row[2]);
    s.message_count = std::stoll(row[3].text);
    s.max_risk_level = risk_name(std::stoi(row[4].text));
    out.push_back(std::move(s));
  }
  return out;
}

pg_statement session_owner(const std::string& session_id) {
  return {"SELECT user_id::text FROM conversation_sessions WHERE id = $1::uuid",
          {pg_value::of(session_id)}};
}

pg_statement message_seq(const std::string& session_id, const std::string& id) {
  return {"SELECT seq FROM conversation_messages WHERE id = $1::uuid AND session_id = $2::uuid",
          {pg_value::of(id), pg_value::of(session_id)}};
}

pg_statement list_messages(const std::string& session_id, uint32_t limit,
                           std::optional<int64_t> before_seq) {
  // Without `before`, a seq past any turn (2 * version + 1 < 2^62).
  auto before = before_seq ? *before_seq : (int64_t{1} << 62);
  return {"SELECT id::text, role, " + rfc3339("created_at") +
              ", key_id, nonce, ciphertext FROM conversation_messages "
              "WHERE session_id = $1::uuid AND seq < $2::bigint ORDER BY seq DESC LIMIT $3::int",
          {pg_value::of(session_id), pg_value::of(std::to_string(before)),
           pg_value::of(std::to_string(limit))}};
}

std::vector<stored_message> read_messages(const pg_result& r) {
  std::vector<stored_message> out;
  out.reserve(r.rows.size());
  for (const auto& row : r.rows) {
    stored_message m;
    m.id = row[0].text;
    m.role = row[1].text;
    m.created_at = row[2].text;
    m.sealed.key_id = row[3].text;
    m.sealed.nonce = from_bytea_hex(row[4].text).value_or(std::string{});
    m.sealed.ciphertext = from_bytea_hex(row[5].text).value_or(std::string{});
    out.push_back(std::move(m));
  }
  return out;
}

pg_statement recent_messages(const std::string& session_id, uint32_t limit) {
  return list_messages(session_id, limit, std::nullopt);
}

pg_statement delete_session(const std::string& session_id, const std::string& user_id) {
  return {"DELETE FROM conversation_sessions WHERE id = $1::uuid AND user_id = $2::uuid",
          {pg_value::of(session_id), pg_value::of(user_id)}};
}

pg_statement rows_to_reencrypt(const std::string& key_id, const std::string& after_id,
                               uint32_t limit) {
  return {"SELECT id::text, user_id::text, key_id, nonce, ciphertext FROM conversation_messages "
          "WHERE key_id <> $1 AND id > $2::uuid ORDER BY id LIMIT $3::int",
          {pg_value::of(key_id), pg_value::of(after_id), pg_value::of(std::to_string(limit))}};
}

pg_statement reseal(const std::string& id, const std::string& old_key_id, const sealed_text& s) {
  return {"UPDATE conversation_messages SET key_id = $3, nonce = $4::bytea, ciphertext = "
          "$5::bytea WHERE id = $1::uuid AND key_id = $2",
          {pg_value::of(id), pg_value::of(old_key_id), pg_value::of(s.key_id),
           pg_value::of(to_bytea_hex(s.nonce)), pg_value::of(to_bytea_hex(s.ciphertext))}};
}

std::string to_bytea_hex(const std::string& raw) {
  std::string out(2 + raw.size() * 2 + 1, '\0');
  out[0] = '\\';
  out[1] = 'x';
  sodium_bin2hex(out.data() + 2, out.size() - 2, reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  out.pop_back(); // the terminating NUL
  return out;
}

std::optional<std::string> from_bytea_hex(const std::string& text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0)
    return std::nullopt;
  std::string out((text.size() - 2) / 2, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data() + 2,
                     text.size() - 2, nullptr, &len, nullptr) != 0 ||
      len != out.size())
    return std::nullopt;
  return out;
}

const char* risk_name(int level) {
  static const char* names[] = {"none", "low", "medium", "high", "critical"};
  return level >= 0 && level <= 4 ? names[level] : "none";
}

int risk_rank(std::string_view name) {
  for (int i = 0; i <= 4; ++i)
    if (name == risk_name(i))
      return i;
  return 0;
}

} // namespace haven::sessions
