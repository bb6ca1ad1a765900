#pragma once

// Shared by the PostgreSQL pool and migration integration tests.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "config/settings.hpp"
#include "messages/errors.hpp"
#include "messages/health.hpp"
#include "messages/pg.hpp"
#include "messages/type_ids.hpp"
#include "persistence/pg/pg_pool.hpp"
#include "tests/integration/support/poll.hpp"
#include "tests/integration/support/stack_test.hpp"

namespace haven::test {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using rows = std::vector<pg_result>;

struct pg_system_config : caf::actor_system_config {
  pg_system_config() {
    add_message_types<caf::id_block::haven>();
    add_message_types<caf::id_block::haven_pg>();
    set("scheduler.max-threads", size_t{2});
  }
};

inline pg_statement stmt(std::string sql, std::vector<std::string> params = {}) {
  pg_statement s{std::move(sql), {}};
  for (auto& p : params)
    s.params.push_back(pg_value::of(std::move(p)));
  return s;
}

inline pg_batch batch(std::vector<pg_statement> statements, bool transaction = false) {
  return pg_batch{std::move(statements), transaction};
}

inline caf::expected<rows> call(caf::scoped_actor& self, const pg_pool_actor& pool, pg_batch b,
                                caf::timespan limit = std::chrono::seconds{30}) {
  caf::expected<rows> out{caf::error{}};
  self->request(pool, limit, std::move(b))
      .receive([&](rows& r) { out = std::move(r); }, [&](caf::error& e) { out = std::move(e); });
  return out;
}

inline pg_pool_stats stats_of(caf::scoped_actor& self, const pg_pool_actor& pool) {
  pg_pool_stats out;
  self->request(pg_pool_stats_of(pool), std::chrono::seconds{10}, pg_stats_atom_v)
      .receive([&](pg_pool_stats& s) { out = s; },
               [&](caf::error& e) { ADD_FAILURE() << to_string(e); });
  return out;
}

inline errc code_of(const caf::error& e) {
  return e.category() == errc_category ? static_cast<errc>(e.code()) : errc::internal;
}

template <class T>
errc code_of(const caf::expected<T>& x) {
  return x ? errc::internal : code_of(x.error());
}

inline std::string describe(const caf::error& e) {
  return to_string(e);
}

/// A blocking libpq query for checks made by the test itself (not the pool).
inline std::vector<std::vector<std::string>> query(const std::string& conninfo,
                                                   const std::string& sql) {
  std::vector<std::vector<std::string>> out;
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    ADD_FAILURE() << "test connection failed: " << PQerrorMessage(c);
    PQfinish(c);
    return out;
  }
  PGresult* r = PQexec(c, sql.c_str());
  if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
    ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
  for (int i = 0; i < PQntuples(r); ++i) {
    out.emplace_back();
    for (int f = 0; f < PQnfields(r); ++f)
      out.back().emplace_back(PQgetvalue(r, i, f));
  }
  PQclear(r);
  PQfinish(c);
  return out;
}

inline std::string unique_name(const std::string& prefix) {
  static int n = 0;
  return prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(++n);
}

/// One stack for all tests of a suite; every test leaves it running.
class pg_suite : public stack_test {
 protected:
  static config::settings settings(uint32_t pool_size, uint32_t timeout_ms = 2000) {
    config::settings s;
    s.pg_url = the_stack().pg_url();
    s.pg_pool_size = pool_size;
    s.store_timeout_ms = timeout_ms;
    return s;
  }

  /// Calls `SELECT 1` until it succeeds or `limit` passes.
  static bool poll_until_up(caf::scoped_actor& self, const pg_pool_actor& pool,
                            std::chrono::seconds limit) {
    return eventually([&] { return call(self, pool, batch({stmt("SELECT 1")})); }, limit, 100ms);
  }
};

} // namespace haven::test
