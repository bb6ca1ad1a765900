#include "actors/sessions/reencrypt.hpp"

#include <chrono>

#include "actors/sessions/sessions_sql.hpp"
#include "persistence/pg/pg_connection.hpp"

namespace haven::sessions {

namespace {

constexpr uint32_t batch_rows = 500;
constexpr auto step_timeout = std::chrono::seconds(30);
constexpr auto cancel_grace = std::chrono::seconds(2);

} // namespace

reencrypt_report reencrypt_all(const std::string& conninfo, const key_ring& ring) {
  reencrypt_report rep;
  pg::connection conn{conninfo};
  auto c = conn.connect(pg::clock::now() + step_timeout);
  if (!c.ok()) {
    rep.error = "cannot connect to PostgreSQL: " + c.reason;
    return rep;
  }
  std::string after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    pg_batch select;
    select.statements.push_back(rows_to_reencrypt(ring.current_id(), after, batch_rows));
    auto got = conn.run(select, pg::clock::now() + step_timeout, cancel_grace);
    if (!got.ok()) {
      rep.error = "reading messages failed: " + got.reason;
      return rep;
    }
    const auto& rows = got.results.at(0).rows;
    if (rows.empty())
      return rep;
    pg_batch write;
    write.transaction = true;
    for (const auto& row : rows) {
      const auto& id = row[0].text;
      const auto& user_id = row[1].text;
      sealed_text old;
      old.key_id = row[2].text;
      old.nonce = from_bytea_hex(row[3].text).value_or(std::string{});
      old.ciphertext = from_bytea_hex(row[4].text).value_or(std::string{});
      after = id;
      auto text = ring.open(old, id, user_id);
      if (!text) {
        ++rep.unopenable;
        continue;
      }
      write.statements.push_back(reseal(id, old.key_id, ring.seal(*text, id, user_id)));
    }
    if (write.statements.empty())
      continue;
    auto done = conn.run(write, pg::clock::now() + step_timeout, cancel_grace);
    if (!done.ok()) {
      rep.error = "rewriting messages failed: " + done.reason;
      return rep;
    }
    for (const auto& r : done.results)
      rep.rewritten += r.affected;
  }
}

} // namespace haven::sessions
