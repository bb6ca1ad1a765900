#include "actors/sync_queue/op_rules.hpp"

namespace haven::sync {

namespace {

sync_op_result from_outcome(const std::string& op_id, const stored_outcome& o, bool duplicate) {
  sync_op_result r;
  r.op_id = op_id;
  r.status = duplicate ? "duplicate" : o.status;
  r.first_status = duplicate ? o.status : std::string{};
  r.version = o.version;
  r.server_version = o.server_version;
  r.error = o.error;
  return r;
}

} // namespace

plan make_plan(const sync_upload& upload, const store_view& view) {
  plan p;
  p.last_seq = view.last_seq;
  p.results.reserve(upload.ops.size());
  // First outcomes decided in this upload (a repeated op id inside it).
  std::unordered_map<std::string, stored_outcome> fresh;
  auto current = [&](const std::string& id) -> entity_state {
    if (auto it = p.entities.find(id); it != p.entities.end())
      return it->second;
    if (auto it = view.entities.find(id); it != view.entities.end())
      return it->second;
    return {};
  };
  for (size_t i = 0; i < upload.ops.size(); ++i) {
    const auto& op = upload.ops[i];
    if (auto it = view.outcomes.find(op.op_id); it != view.outcomes.end()) {
      p.results.push_back(from_outcome(op.op_id, it->second, true));
      continue;
    }
    if (auto it = fresh.find(op.op_id); it != fresh.end()) {
      p.results.push_back(from_outcome(op.op_id, it->second, true));
      continue;
    }
    stored_outcome o;
    std::string field, issue;
    // An op rejected by the edge may have no usable entity id.
    auto e = op.reject.empty() ? current(op.entity_id) : entity_state{};
    if (!op.reject.empty()) {
      o = {"rejected", 0, -1, op.reject};
      field = op.field;
      issue = op.issue;
    } else if (e.version > 0 && e.entity != op.entity) {
      o = {"rejected", e.version, -1, "entity_mismatch"};
      field = "entity";
    } else if (op.base_version != e.version) {
      o = {"conflict", e.version, e.version, {}};
    } else if (op.is_delete && (e.version == 0 || e.deleted)) {
      o = {"rejected", e.version, -1, "not_found"};
      field = "entity_id";
    } else {
      entity_state next{op.entity, e.version + 1, op.is_delete};
      o = {"applied", next.version, -1, {}};
      p.entities[op.entity_id] = std::move(next);
      p.changes.push_back({++p.last_seq, i, o.version});
    }
    auto r = from_outcome(op.op_id, o, false);
    r.field = std::move(field);
    r.issue = std::move(issue);
    p.results.push_back(std::move(r));
    p.outcomes.push_back({i, o});
    fresh.emplace(op.op_id, std::move(o));
  }
  return p;
}

} // namespace haven::sync
