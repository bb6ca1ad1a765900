// Sending batches and reading their results (pipeline mode for several
// statements). See pg_connection.hpp for the contract.
#include <cstdlib>

#include <libpq-fe.h>

#include "persistence/pg/pg_connection.hpp"
#include "persistence/pg/pg_socket.hpp"

namespace haven::pg {

namespace {

pg_result to_result(const PGresult* r) {
  pg_result out;
  const int fields = PQnfields(r);
  const int rows = PQntuples(r);
  out.columns.reserve(static_cast<size_t>(fields));
  for (int f = 0; f < fields; ++f)
    out.columns.emplace_back(PQfname(r, f));
  out.rows.resize(static_cast<size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    auto& row = out.rows[static_cast<size_t>(i)];
    row.reserve(static_cast<size_t>(fields));
    for (int f = 0; f < fields; ++f)
      row.push_back(PQgetisnull(r, i, f) != 0
                        ? pg_value::null()
                        : pg_value::of(std::string(PQgetvalue(r, i, f),
                                                   static_cast<size_t>(PQgetlength(r, i, f)))));
  }
  const char* n = PQcmdTuples(const_cast<PGresult*>(r));
  out.affected = (n != nullptr && *n != '\0') ? std::strtoull(n, nullptr, 10) : 0;
  return out;
}

// Keeps the first SQL error of a batch (later ones are consequences).
void record_error(outcome& out, const PGresult* r) {
  if (!out.ok())
    return;
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const char* constraint = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
  out.sqlstate = state != nullptr ? state : "";
  out.constraint = constraint != nullptr ? constraint : "";
  out.fail = classify_sqlstate(out.sqlstate);
  out.reason = "sql error";
}

} // namespace

/// Waits for results with the batch deadline; when it passes, sends a cancel
/// once and keeps reading for `grace` (the server answers 57014 at once).
class connection::reader {
 public:
  reader(connection& c, clock::time_point deadline, clock::duration grace)
      : c_(c), deadline_(deadline), grace_(grace) {}

  enum class status { result, end, lost };

  status next(PGresult*& r, outcome& out) {
    PGconn* conn = c_.conn_;
    while (PQisBusy(conn) != 0) {
      auto w = wait_socket(PQsocket(conn), POLLIN, deadline_);
      if (w == wait_result::timeout && !cancelled_.valid()) {
        cancelled_ = c_.cancel_async();
        deadline_ = clock::now() + grace_;
        continue;
      }
      if (w != wait_result::ready) {
        c_.lost(out,
                w == wait_result::timeout ? "query timeout, cancel unanswered" : "poll failed");
        return status::lost;
      }
      if (PQconsumeInput(conn) == 0) {
        c_.lost(out, "connection lost");
        return status::lost;
      }
    }
    r = PQgetResult(conn);
    return r != nullptr ? status::result : status::end;
  }

  /// After the last result: settles a cancel and says whether one was sent.
  bool finish(outcome& out) {
    if (!cancelled_.valid())
      return false;
    c_.finish_cancel(cancelled_, grace_);
    if (!out.ok())
      out.reason = "query timeout";
    return true;
  }

 private:
  connection& c_;
  clock::time_point deadline_;
  clock::duration grace_;
  std::future<void> cancelled_;
};

outcome connection::run(const pg_batch& b, clock::time_point deadline, clock::duration grace) {
  outcome out;
  if (conn_ == nullptr) {
    out.fail = failure::unavailable;
    out.reason = "not connected";
    return out;
  }
  const bool pipe = b.transaction || b.statements.size() > 1;
  std::vector<const char*> values;
  auto send = [&](const std::string& sql, const std::vector<pg_value>& params) {
    values.clear();
    for (auto& p : params)
      values.push_back(p.is_null ? nullptr : p.text.c_str());
    return PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, 0) == 1;
  };
  static const std::string begin_sql = "BEGIN", commit_sql = "COMMIT";
  bool sent = !pipe || PQenterPipelineMode(conn_) == 1;
  sent = sent && (!b.transaction || send(begin_sql, {}));
  for (size_t i = 0; sent && i < b.statements.size(); ++i)
    sent = send(b.statements[i].sql, b.statements[i].params);
  sent = sent && (!b.transaction || send(commit_sql, {})) && (!pipe || PQpipelineSync(conn_) == 1);
  if (!sent) { // half-queued pipelines cannot be taken back: start afresh
    const bool broken = PQstatus(conn_) != CONNECTION_OK;
    lost(out, "cannot send the statements");
    if (!broken)
      out.fail = failure::internal; // e.g. too many parameters: a bug, not an outage
    return out;
  }
  if (!flush(deadline, out))
    return out;

  reader rd{*this, deadline, grace};
  const size_t first = b.transaction ? 1 : 0; // the BEGIN's result is not the caller's
  const size_t queries = b.statements.size() + (b.transaction ? 2 : 0);
  out.results.reserve(b.statements.size());
  for (size_t q = 0; q < queries + (pipe ? 1 : 0); ++q) {
    for (PGresult* r = nullptr;;) {
      auto st = rd.next(r, out);
      if (st == reader::status::lost)
        return out;
      if (st == reader::status::end)
        break;
      switch (PQresultStatus(r)) {
        case PGRES_TUPLES_OK:
        case PGRES_COMMAND_OK:
        case PGRES_EMPTY_QUERY:
          if (q >= first && q < first + b.statements.size() && out.ok())
            out.results.push_back(to_result(r));
          break;
        case PGRES_FATAL_ERROR:
          record_error(out, r);
          break;
        case PGRES_PIPELINE_SYNC: // the end of the pipeline: no NULL follows it
          PQclear(r);
          r = nullptr;
          q = queries; // leave both loops
          break;
        case PGRES_PIPELINE_ABORTED: // skipped after an earlier error
          break;
        default: // COPY and other modes we never start
          if (out.ok()) {
            out.fail = failure::internal;
            out.reason = "unexpected result status";
          }
      }
      if (r == nullptr)
        break;
      PQclear(r);
    }
  }
  if (pipe && conn_ != nullptr && PQexitPipelineMode(conn_) != 1)
    close();
  rd.finish(out);
  if (out.ok() && out.results.size() != b.statements.size()) {
    out.fail = failure::internal;
    out.reason = "missing results";
  }
  if (!out.ok())
    out.results.clear();
  rollback_if_open(grace);
  return out;
}

outcome connection::run_script(const std::string& sql, clock::time_point deadline,
                               clock::duration grace) {
  auto out = exec_simple(sql, deadline, grace);
  if (!out.ok())
    rollback_if_open(grace);
  return out;
}

outcome connection::exec_simple(const std::string& sql, clock::time_point deadline,
                                clock::duration grace) {
  outcome out;
  if (conn_ == nullptr) {
    out.fail = failure::unavailable;
    out.reason = "not connected";
    return out;
  }
  if (PQsendQuery(conn_, sql.c_str()) != 1) {
    lost(out, "cannot send the script");
    return out;
  }
  if (!flush(deadline, out))
    return out;
  reader rd{*this, deadline, grace};
  for (PGresult* r = nullptr;;) {
    auto st = rd.next(r, out);
    if (st == reader::status::lost)
      return out;
    if (st == reader::status::end)
      break;
    if (PQresultStatus(r) == PGRES_FATAL_ERROR)
      record_error(out, r);
    PQclear(r);
  }
  rd.finish(out);
  return out;
}

void connection::rollback_if_open(clock::duration grace) {
  if (conn_ == nullptr)
    return;
  const auto st = PQtransactionStatus(conn_);
  if (st == PQTRANS_IDLE)
    return;
  // Never hand a connection with an open or failed transaction to the next batch.
  if (st == PQTRANS_INTRANS || st == PQTRANS_INERROR) {
    outcome ignored = exec_simple("ROLLBACK", clock::now() + grace, grace);
    if (ignored.ok() && conn_ != nullptr && PQtransactionStatus(conn_) == PQTRANS_IDLE)
      return;
  }
  close();
}

} // namespace haven::pg
