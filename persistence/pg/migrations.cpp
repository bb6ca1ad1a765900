#include "persistence/pg/migrations.hpp"

#include <algorithm>
#include <set>
#include <thread>

#include "base/log/log.hpp"
#include "messages/errors.hpp"
#include "persistence/pg/pg_connection.hpp"

namespace haven::pg {

namespace generated {
struct embedded_file {
  const char* filename;
  const char* contents;
};
// Defined in the generated migrations_embedded.cpp; ends with {nullptr, nullptr}.
extern const embedded_file migration_files[];
} // namespace generated

namespace {

// A migration may rewrite a big table: give statements and the lock wait far
// longer than a request gets, but still a bound.
constexpr auto statement_limit = std::chrono::minutes{10};
constexpr auto cancel_grace = std::chrono::seconds{1};
constexpr auto retry_pause = std::chrono::milliseconds{200};

pg_batch one(std::string sql, std::vector<pg_value> params = {}) {
  pg_batch b;
  b.statements.push_back({std::move(sql), std::move(params)});
  return b;
}

caf::error failed(const std::string& step, const outcome& out) {
  log::error("migration failed",
             {{"step", step}, {"sqlstate", out.sqlstate}, {"reason", out.reason}});
  if (out.fail == failure::unavailable)
    return make_retry_error(errc::dependency_unavailable, "database unavailable during " + step, 1);
  return make_error(errc::internal, step + " failed (SQLSTATE " + out.sqlstate + ")");
}

} // namespace

std::optional<std::pair<int, std::string>> parse_migration_filename(std::string_view f) {
  constexpr std::string_view ext = ".sql";
  if (f.size() < 4 + 1 + 1 + ext.size() || f.substr(f.size() - ext.size()) != ext || f[4] != '_')
    return std::nullopt;
  if (!std::all_of(f.begin(), f.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  auto name = f.substr(5, f.size() - 5 - ext.size());
  if (!std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      }))
    return std::nullopt;
  const int version = std::stoi(std::string{f.substr(0, 4)});
  if (version == 0)
    return std::nullopt;
  return std::make_pair(version, std::string{name});
}

caf::expected<std::vector<migration>>
order_migrations(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<migration> out;
  for (auto& [file, sql] : files) {
    auto parsed = parse_migration_filename(file);
    if (!parsed)
      return make_error(errc::internal,
                        "bad migration file name: " + file + " (want NNNN_name.sql)");
    out.push_back({parsed->first, parsed->second, sql});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i].version == out[i - 1].version)
      return make_error(errc::internal,
                        "migration version used twice: " + std::to_string(out[i].version));
  return out;
}

caf::expected<std::vector<migration>> embedded_migrations() {
  std::vector<std::pair<std::string, std::string>> files;
  for (auto* f = generated::migration_files; f->filename != nullptr; ++f)
    files.emplace_back(f->filename, f->contents);
  return order_migrations(files);
}

caf::expected<int> apply_migrations(const std::string& conninfo, std::chrono::milliseconds timeout,
                                    const std::vector<migration>& list) {
  const auto give_up = clock::now() + timeout;
  connection conn{conninfo};
  for (;;) { // PostgreSQL may still be starting: retry until the timeout
    auto c = conn.connect(std::min(give_up, clock::now() + std::chrono::seconds{5}));
    if (c.ok())
      break;
    if (clock::now() + retry_pause >= give_up) {
      log::warn("migrations: cannot connect to postgres", {{"reason", c.reason}});
      return make_retry_error(errc::dependency_unavailable, "cannot connect to the database", 1);
    }
    std::this_thread::sleep_for(retry_pause);
  }
  auto limit = [] { return clock::now() + statement_limit; };
  const pg_value key = pg_value::of(std::to_string(migration_lock_key));
  // Session lock: held across the per-migration transactions, released by
  // the unlock below or, whatever happens, when this connection closes.
  if (auto r = conn.run(one("SELECT pg_advisory_lock($1)", {key}), limit(), cancel_grace); !r.ok())
    return failed("taking the migration lock", r);
  auto r = conn.run(one("CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, "
                        "name text, applied_at timestamptz DEFAULT now())"),
                    limit(), cancel_grace);
  if (!r.ok())
    return failed("creating schema_migrations", r);
  r = conn.run(one("SELECT version FROM schema_migrations"), limit(), cancel_grace);
  if (!r.ok())
    return failed("reading schema_migrations", r);
  std::set<int> applied;
  for (auto& row : r.results.at(0).rows)
    applied.insert(std::stoi(row.at(0).text));
  int count = 0;
  for (auto& m : list) {
    if (applied.count(m.version) > 0)
      continue;
    // Trusted text from the repository, so the simple query protocol (several
    // statements); version and name are digits and [a-z0-9_] (checked when
    // the file name was parsed), safe to write into the INSERT.
    const std::string script = "BEGIN;\n" + m.sql +
                               "\n;\nINSERT INTO schema_migrations (version, name) VALUES (" +
                               std::to_string(m.version) + ", '" + m.name + "');\nCOMMIT;";
    const auto step = "migration " + std::to_string(m.version) + "_" + m.name;
    if (auto out = conn.run_script(script, limit(), cancel_grace); !out.ok())
      return failed(step, out);
    log::info("migration applied",
              {{"version", std::to_string(m.version), false}, {"name", m.name}});
    ++count;
  }
  conn.run(one("SELECT pg_advisory_unlock($1)", {key}), limit(), cancel_grace);
  return count;
}

} // namespace haven::pg

namespace haven {

caf::expected<int> apply_migrations(const std::string& conninfo,
                                    std::chrono::milliseconds timeout) {
  auto list = pg::embedded_migrations();
  if (!list)
    return list.error();
  return pg::apply_migrations(conninfo, timeout, *list);
}

} // namespace haven
