#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

// The PostgreSQL pool's contract. Parameters and results travel in libpq's
// text format; only parameterized statements exist (no string-built SQL).

namespace haven {

/// One SQL value in text format, or NULL.
struct pg_value {
  bool is_null = true;
  std::string text;
  static pg_value null() { return {}; }
  static pg_value of(std::string s) { return {false, std::move(s)}; }
  /// SQL NULL for an empty string (an absent optional field), else the text.
  static pg_value nullable(std::string s) { return s.empty() ? null() : of(std::move(s)); }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pg_value& x) {
  return f(caf::meta::type_name("pg_value"), x.is_null, x.text);
}

/// One parameterized statement: `sql` uses $1, $2, … placeholders.
struct pg_statement {
  std::string sql;
  std::vector<pg_value> params;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pg_statement& x) {
  return f(caf::meta::type_name("pg_statement"), x.sql, x.params);
}

/// Statements sent as one pipeline on one connection. With `transaction`,
/// they run between BEGIN and COMMIT: all or nothing.
struct pg_batch {
  std::vector<pg_statement> statements;
  bool transaction = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pg_batch& x) {
  return f(caf::meta::type_name("pg_batch"), x.statements, x.transaction);
}

/// The rows of one statement (text format) and the affected row count.
struct pg_result {
  std::vector<std::string> columns;
  std::vector<std::vector<pg_value>> rows;
  uint64_t affected = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pg_result& x) {
  return f(caf::meta::type_name("pg_result"), x.columns, x.rows, x.affected);
}

/// The pool: one reply with one result per statement, or an error:
/// errc::dependency_unavailable (no connection in time, server down, query
/// timeout) or errc::conflict (a unique or exclusion violation; the context
/// holds the constraint name) or errc::internal (other SQL errors; details
/// are logged, never returned to clients).
using pg_pool_actor = caf::typed_actor<caf::replies_to<pg_batch>::with<std::vector<pg_result>>>;

/// A snapshot of the pool for /health and /metrics. Counters are totals since
/// the pool started.
struct pg_pool_stats {
  uint32_t size = 0;         // connection workers
  uint32_t in_use = 0;       // workers running a batch
  uint32_t idle = 0;         // workers waiting for a batch
  uint32_t connected = 0;    // workers holding a live connection (as last reported)
  uint32_t queued = 0;       // batches waiting for a worker
  uint64_t served = 0;       // batches answered with results
  uint64_t errors = 0;       // batches answered with an error (any errc)
  uint64_t rejected = 0;     // of those: refused at once (queue full, or PostgreSQL down)
  bool circuit_open = false; // the last connect failed < 1 s ago: calls fail fast
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pg_pool_stats& x) {
  return f(caf::meta::type_name("pg_pool_stats"), x.size, x.in_use, x.idle, x.connected, x.queued,
           x.served, x.errors, x.rejected, x.circuit_open);
}

using pg_stats_atom = caf::atom_constant<caf::atom("pg_stats")>;
constexpr pg_stats_atom pg_stats_atom_v = pg_stats_atom{};

/// A side interface of the same actor as pg_pool_actor (kept apart so that
/// fakes of pg_pool_actor need not implement it). Get one with
/// `caf::actor_cast<pg_pool_stats_actor>(pool)`.
using pg_pool_stats_actor = caf::typed_actor<caf::replies_to<pg_stats_atom>::with<pg_pool_stats>>;

} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven_pg, caf::first_custom_type_id + 100)
CAF_ADD_TYPE_ID(haven_pg, (haven::pg_value))
CAF_ADD_TYPE_ID(haven_pg, (haven::pg_statement))
CAF_ADD_TYPE_ID(haven_pg, (haven::pg_batch))
CAF_ADD_TYPE_ID(haven_pg, (haven::pg_result))
CAF_ADD_TYPE_ID(haven_pg, (std::vector<haven::pg_result>))
CAF_ADD_TYPE_ID(haven_pg, (haven::pg_pool_stats))
CAF_END_TYPE_ID_BLOCK(haven_pg)
