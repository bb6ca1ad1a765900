#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

// Offline-first sync (API.md section 6; docs/sync.md): the edge validates an
// upload into sync_ops and asks the sync actor, which applies one user's
// uploads in order (per-user queue actors; PostgreSQL's row lock across
// nodes) and answers only after COMMIT.

namespace haven {

struct sync_op;
struct sync_upload;
struct sync_op_result;
struct sync_upload_result;
struct sync_changes_query;
struct sync_change;
struct sync_changes_page;

} // namespace haven

CAF_BEGIN_TYPE_ID_BLOCK(haven_sync, caf::first_custom_type_id + 900)
CAF_ADD_TYPE_ID(haven_sync, (haven::sync_op))
CAF_ADD_TYPE_ID(haven_sync, (std::vector<haven::sync_op>))
CAF_ADD_TYPE_ID(haven_sync, (haven::sync_upload))
CAF_ADD_TYPE_ID(haven_sync, (haven::sync_op_result))
CAF_ADD_TYPE_ID(haven_sync, (std::vector<haven::sync_op_result>))
CAF_ADD_TYPE_ID(haven_sync, (haven::sync_upload_result))
CAF_ADD_TYPE_ID(haven_sync, (haven::sync_changes_query))
CAF_ADD_TYPE_ID(haven_sync, (haven::sync_change))
CAF_ADD_TYPE_ID(haven_sync, (std::vector<haven::sync_change>))
CAF_ADD_TYPE_ID(haven_sync, (haven::sync_changes_page))
CAF_END_TYPE_ID_BLOCK(haven_sync)

namespace haven {

/// One op of an upload as the edge read it. `op_id` is always a valid UUID
/// (an op without one fails the whole request); every other field may be
/// broken, in which case `reject` holds the error code the op is rejected
/// with (`field` names the offending field) and the rest is not looked at.
struct sync_op {
  std::string op_id;
  std::string entity;
  std::string entity_id;
  bool is_delete = false;
  int64_t base_version = 0;
  std::string payload; // the minified JSON object of an upsert; empty for a delete
  std::string reject;  // empty: valid so far
  std::string field;   // with `reject`: the field at fault ("payload.mood"), may be empty
  std::string issue;   // with `reject`: what is wrong with it ("out_of_range"), may be empty
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sync_op& x) {
  return f(caf::meta::type_name("sync_op"), x.op_id, x.entity, x.entity_id, x.is_delete,
           x.base_version, x.payload, x.reject, x.field, x.issue);
}

struct sync_upload {
  std::string user_id;
  std::string device_id;
  std::string request_id; // travels into the sync.applied events
  std::vector<sync_op> ops;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sync_upload& x) {
  return f(caf::meta::type_name("sync_upload"), x.user_id, x.device_id, x.request_id, x.ops);
}

/// One op's outcome. `status`: applied | duplicate | conflict | rejected.
/// `version`: the entity's version after the op (applied) or as the server
/// holds it (others; 0 = no such entity). `server_version` >= 0 only for a
/// conflict (or a duplicate of one). A duplicate carries its first outcome
/// in `first_status` and the fields of that outcome.
struct sync_op_result {
  std::string op_id;
  std::string status;
  int64_t version = 0;
  int64_t server_version = -1;
  std::string error;
  std::string field; // a rejection's field and issue (not kept for duplicates)
  std::string issue;
  std::string first_status;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sync_op_result& x) {
  return f(caf::meta::type_name("sync_op_result"), x.op_id, x.status, x.version, x.server_version,
           x.error, x.field, x.issue, x.first_status);
}

/// The results in request order and the user's feed position after them.
struct sync_upload_result {
  std::vector<sync_op_result> results;
  int64_t cursor_seq = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sync_upload_result& x) {
  return f(caf::meta::type_name("sync_upload_result"), x.results, x.cursor_seq);
}

/// GET /v1/sync/changes: the caller's changes after `since_seq`.
struct sync_changes_query {
  std::string user_id;
  int64_t since_seq = 0;
  uint32_t limit = 100;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sync_changes_query& x) {
  return f(caf::meta::type_name("sync_changes_query"), x.user_id, x.since_seq, x.limit);
}

/// One feed entry; `payload` is raw JSON text, empty for a delete (null).
struct sync_change {
  int64_t seq = 0;
  std::string entity;
  std::string entity_id;
  int64_t version = 0;
  std::string kind;
  std::string payload;
  std::string device_id;
  std::string server_ts;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sync_change& x) {
  return f(caf::meta::type_name("sync_change"), x.seq, x.entity, x.entity_id, x.version, x.kind,
           x.payload, x.device_id, x.server_ts);
}

struct sync_changes_page {
  std::vector<sync_change> changes;
  int64_t cursor_seq = 0; // the last change's seq, else the query's since_seq
  bool has_more = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sync_changes_page& x) {
  return f(caf::meta::type_name("sync_changes_page"), x.changes, x.cursor_seq, x.has_more);
}

/// The node's sync front actor (actors/sync_queue/sync_actor.hpp). Errors:
/// errc::dependency_unavailable (PostgreSQL down: nothing was applied, or
/// the commit's fate is unknown and a retry answers `duplicate`),
/// errc::overloaded (too many uploads queued for one user), errc::internal.
using sync_actor = caf::typed_actor<caf::replies_to<sync_upload>::with<sync_upload_result>,
                                    caf::replies_to<sync_changes_query>::with<sync_changes_page>>;

} // namespace haven
