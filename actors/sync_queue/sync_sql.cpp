#include "actors/sync_queue/sync_sql.hpp"

#include <charconv>

namespace haven::sync {

namespace {

// Literals of values that need no quoting (UUIDs checked by the edge,
// integers, booleans).
template <class T, class F>
std::string plain_array(const std::vector<T>& items, F text_of) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0)
      out.push_back(',');
    out += text_of(items[i]);
  }
  out.push_back('}');
  return out;
}

int64_t to_int(const pg_value& v, int64_t fallback = 0) {
  if (v.is_null)
    return fallback;
  int64_t n = fallback;
  std::from_chars(v.text.data(), v.text.data() + v.text.size(), n);
  return n;
}

pg_value param(std::string s) {
  return pg_value::of(std::move(s));
}

} // namespace

std::string text_array(const std::vector<const std::string*>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0)
      out.push_back(',');
    if (items[i] == nullptr) {
      out += "NULL";
      continue;
    }
    out.push_back('"');
    for (char c : *items[i]) {
      if (c == '"' || c == '\\')
        out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

pg_batch read_batch(const sync_upload& upload) {
  std::vector<std::string> op_ids, entity_ids;
  for (const auto& op : upload.ops) {
    op_ids.push_back(op.op_id);
    if (op.reject.empty())
      entity_ids.push_back(op.entity_id);
  }
  auto same = [](const std::string& s) { return s; };
  pg_batch b;
  b.statements.push_back({"SELECT revision, last_seq FROM sync_state WHERE user_id = $1::uuid",
                          {param(upload.user_id)}});
  b.statements.push_back(
      {"SELECT op_id::text, status, version, server_version, error FROM sync_ops "
       "WHERE user_id = $1::uuid AND op_id = ANY($2::uuid[])",
       {param(upload.user_id), param(plain_array(op_ids, same))}});
  b.statements.push_back({"SELECT entity_id::text, entity, version, deleted FROM sync_entities "
                          "WHERE user_id = $1::uuid AND entity_id = ANY($2::uuid[])",
                          {param(upload.user_id), param(plain_array(entity_ids, same))}});
  return b;
}

store_view read_view(const std::vector<pg_result>& results) {
  store_view v;
  if (results.size() < 3)
    return v;
  if (!results[0].rows.empty() && results[0].rows[0].size() >= 2) {
    v.revision = to_int(results[0].rows[0][0]);
    v.last_seq = to_int(results[0].rows[0][1]);
  }
  for (const auto& row : results[1].rows)
    if (row.size() >= 5)
      v.outcomes[row[0].text] = {row[1].text, to_int(row[2]), to_int(row[3], -1), row[4].text};
  for (const auto& row : results[2].rows)
    if (row.size() >= 4)
      v.entities[row[0].text] = {row[1].text, to_int(row[2]), row[3].text == "t"};
  return v;
}

pg_batch write_batch(const sync_upload& upload, const store_view& view, const plan& p,
                     std::vector<pg_statement> events) {
  auto num = [](int64_t n) { return std::to_string(n); };
  pg_batch b;
  b.transaction = true;
  b.statements.push_back(
      {"SELECT sync_claim($1::uuid, $2::bigint, $3::bigint)",
       {param(upload.user_id), param(num(view.revision)), param(num(p.last_seq))}});

  std::vector<std::string> ids, statuses;
  std::vector<int64_t> versions;
  std::vector<const std::string*> server_versions, errors;
  std::vector<std::string> server_version_text;
  server_version_text.reserve(p.outcomes.size());
  for (const auto& o : p.outcomes) {
    ids.push_back(upload.ops[o.op].op_id);
    statuses.push_back(o.outcome.status);
    versions.push_back(o.outcome.version);
    server_version_text.push_back(num(o.outcome.server_version));
  }
  for (size_t i = 0; i < p.outcomes.size(); ++i) {
    server_versions.push_back(p.outcomes[i].outcome.server_version >= 0 ? &server_version_text[i]
                                                                        : nullptr);
    errors.push_back(p.outcomes[i].outcome.error.empty() ? nullptr : &p.outcomes[i].outcome.error);
  }
  auto same = [](const std::string& s) { return s; };
  std::vector<const std::string*> status_ptrs;
  for (const auto& s : statuses)
    status_ptrs.push_back(&s);
  b.statements.push_back(
      {"INSERT INTO sync_ops (user_id, op_id, status, version, server_version, error) "
       "SELECT $1::uuid, o, s, v, sv, e FROM unnest($2::uuid[], $3::text[], $4::bigint[], "
       "$5::bigint[], $6::text[]) AS t(o, s, v, sv, e)",
       {param(upload.user_id), param(plain_array(ids, same)), param(text_array(status_ptrs)),
        param(plain_array(versions, num)), param(text_array(server_versions)),
        param(text_array(errors))}});

  if (p.changes.empty())
    return b;
  std::vector<std::string> e_ids;
  std::vector<const std::string*> e_kinds;
  std::vector<int64_t> e_versions;
  std::vector<std::string> e_deleted;
  for (const auto& [id, e] : p.entities) {
    e_ids.push_back(id);
    e_kinds.push_back(&e.entity);
    e_versions.push_back(e.version);
    e_deleted.push_back(e.deleted ? "t" : "f");
  }
  b.statements.push_back(
      {"INSERT INTO sync_entities (user_id, entity_id, entity, version, deleted) "
       "SELECT $1::uuid, i, k, v, d FROM unnest($2::uuid[], $3::text[], $4::bigint[], "
       "$5::bool[]) AS t(i, k, v, d) ON CONFLICT (user_id, entity_id) DO UPDATE SET "
       "entity = EXCLUDED.entity, version = EXCLUDED.version, deleted = EXCLUDED.deleted, "
       "updated_at = now()",
       {param(upload.user_id), param(plain_array(e_ids, same)), param(text_array(e_kinds)),
        param(plain_array(e_versions, num)), param(plain_array(e_deleted, same))}});

  std::vector<int64_t> seqs, c_versions;
  std::vector<const std::string*> c_entities, c_kinds, c_payloads;
  std::vector<std::string> c_ids, c_ops;
  static const std::string upsert = "upsert", del = "delete";
  for (const auto& c : p.changes) {
    const auto& op = upload.ops[c.op];
    seqs.push_back(c.seq);
    c_versions.push_back(c.version);
    c_entities.push_back(&op.entity);
    c_kinds.push_back(op.is_delete ? &del : &upsert);
    c_payloads.push_back(op.is_delete ? nullptr : &op.payload);
    c_ids.push_back(op.entity_id);
    c_ops.push_back(op.op_id);
  }
  b.statements.push_back(
      {"INSERT INTO sync_changes (user_id, seq, entity, entity_id, version, kind, payload, "
       "device_id, op_id) SELECT $1::uuid, s, en, ei, v, k, p, $2, o FROM unnest($3::bigint[], "
       "$4::text[], $5::uuid[], $6::bigint[], $7::text[], $8::text[], $9::uuid[]) AS "
       "t(s, en, ei, v, k, p, o)",
       {param(upload.user_id), param(upload.device_id), param(plain_array(seqs, num)),
        param(text_array(c_entities)), param(plain_array(c_ids, same)),
        param(plain_array(c_versions, num)), param(text_array(c_kinds)),
        param(text_array(c_payloads)), param(plain_array(c_ops, same))}});
  for (auto& e : events)
    b.statements.push_back(std::move(e));
  return b;
}

pg_batch changes_batch(const sync_changes_query& q) {
  pg_batch b;
  b.statements.push_back(
      {"SELECT seq, entity, entity_id::text, version, kind, payload, device_id, "
       "to_char(server_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
       "FROM sync_changes WHERE user_id = $1::uuid AND seq > $2::bigint ORDER BY seq LIMIT $3::int",
       {param(q.user_id), param(std::to_string(q.since_seq)), param(std::to_string(q.limit + 1))}});
  return b;
}

sync_changes_page read_changes(const sync_changes_query& q, const pg_result& rows) {
  sync_changes_page page;
  page.cursor_seq = q.since_seq;
  for (const auto& row : rows.rows) {
    if (row.size() < 8)
      continue;
    if (page.changes.size() == q.limit) {
      page.has_more = true;
      break;
    }
    sync_change c;
    c.seq = to_int(row[0]);
    c.entity = row[1].text;
    c.entity_id = row[2].text;
    c.version = to_int(row[3]);
    c.kind = row[4].text;
    c.payload = row[5].is_null ? std::string{} : row[5].text;
    c.device_id = row[6].text;
    c.server_ts = row[7].text;
    page.cursor_seq = c.seq;
    page.changes.push_back(std::move(c));
  }
  return page;
}

} // namespace haven::sync
