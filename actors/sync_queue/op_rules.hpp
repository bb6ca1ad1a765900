#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "messages/sync.hpp"

// The rules of one upload (API.md section 6; docs/sync.md), as a pure
// function: given what the store holds for the upload's op ids and entity
// ids, decide every op's outcome and the rows to write. The actor reads the
// store, plans, and writes the plan in one transaction that first claims the
// user's sync state at the revision it read (sync_sql.hpp): when another node
// wrote meanwhile the claim fails and the actor reads and plans again, so a
// plan is only ever committed on the state it was made from.

namespace haven::sync {

/// An op id's first outcome as stored (status applied | conflict | rejected).
struct stored_outcome {
  std::string status;
  int64_t version = 0;
  int64_t server_version = -1;
  std::string error;
};

struct entity_state {
  std::string entity;
  int64_t version = 0; // 0 = never existed
  bool deleted = false;
};

/// What the store held when the plan was made.
struct store_view {
  int64_t revision = 0;                                     // sync_state.revision (0 = no row yet)
  int64_t last_seq = 0;                                     // sync_state.last_seq
  std::unordered_map<std::string, stored_outcome> outcomes; // by op id
  std::unordered_map<std::string, entity_state> entities;   // by entity id
};

/// One feed row to insert (an applied op).
struct planned_change {
  int64_t seq = 0;
  size_t op = 0; // index into the upload's ops
  int64_t version = 0;
};

/// One op id's first outcome to insert.
struct planned_outcome {
  size_t op = 0;
  stored_outcome outcome;
};

struct plan {
  std::vector<sync_op_result> results; // request order
  std::vector<planned_outcome> outcomes;
  std::vector<planned_change> changes;
  std::unordered_map<std::string, entity_state> entities; // final state of every touched entity
  int64_t last_seq = 0;                                   // after the changes
  /// Anything to write? (false when every op is a duplicate of a stored outcome)
  bool writes() const { return !outcomes.empty(); }
};

/// Decides every op of `upload` against `view`, in request order: a repeated
/// op id (stored, or earlier in this upload) is `duplicate` with its first
/// outcome; an op the edge marked is `rejected`; an entity id of another kind
/// is `rejected` entity_mismatch; a base_version other than the current
/// version is `conflict`; deleting what does not exist (or is deleted) is
/// `rejected` not_found; else `applied` with version + 1 and the next seq.
plan make_plan(const sync_upload& upload, const store_view& view);

} // namespace haven::sync
