#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

// Versioned SQL migrations: persistence/migrations/NNNN_name.sql, embedded in
// the binary at build time (persistence/embed_migrations.cmake).

namespace haven::pg {

struct migration {
  int version = 0;
  std::string name; // [a-z0-9_]+, from the file name
  std::string sql;
};

/// The advisory lock key that serializes migrations across nodes ("havenmig").
constexpr int64_t migration_lock_key = 7521423030701877607;

/// "0001_outbox.sql" -> {1, "outbox"}. Exactly four digits (not 0000), an
/// underscore, a name of [a-z0-9_]+, ".sql"; anything else is nullopt.
std::optional<std::pair<int, std::string>> parse_migration_filename(std::string_view filename);

/// (file name, contents) pairs -> migrations ordered by version. Fails on a
/// malformed name or a version used twice.
caf::expected<std::vector<migration>>
order_migrations(const std::vector<std::pair<std::string, std::string>>& files);

/// The migrations compiled into this binary, in order.
caf::expected<std::vector<migration>> embedded_migrations();

/// Applies `list` (see haven::apply_migrations); for tests and tools.
caf::expected<int> apply_migrations(const std::string& conninfo, std::chrono::milliseconds timeout,
                                    const std::vector<migration>& list);

} // namespace haven::pg

namespace haven {

/// Blocking (call it from a detached actor or a plain thread, e.g. at start-up
/// and from `haven migrate`). Connects on its own connection, retrying until
/// `timeout` (PostgreSQL may still be starting), takes a session advisory lock
/// so that concurrent nodes apply each migration exactly once, creates
/// schema_migrations if missing, then applies every embedded migration not
/// yet recorded, in version order, each in its own transaction together with
/// its schema_migrations row. Returns how many it applied (0 when up to date).
/// Errors: errc::dependency_unavailable (no connection within `timeout`),
/// errc::internal (a migration failed; it was rolled back, earlier ones stay).
caf::expected<int> apply_migrations(const std::string& conninfo, std::chrono::milliseconds timeout);

} // namespace haven
