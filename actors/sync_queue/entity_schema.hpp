#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

// The entity kinds a client may sync (API.md section 6) and the field rules of
// their payloads, loaded once from data files (actors/sync_queue/data/<kind>.json)
// and read-only afterwards, so the edge's thread checks payloads directly.
// JSON-schema-like, deliberately small: a flat object of typed fields.
// Pure: no actors, no I/O after load.

namespace haven::sync {

enum class field_type : uint8_t { string, integer, number, boolean, string_array };

struct field_rule {
  std::string name;
  field_type type = field_type::string;
  bool required = false;
  size_t max_length = 0;   // string / array items: code points (0 = the kind's default)
  size_t max_items = 0;    // string_array (0 = no array allowed to be non-empty)
  double min = 0, max = 0; // integer / number, when has_range
  bool has_range = false;
  std::vector<std::string> enums; // string: the allowed values when not empty
  bool date_time = false;         // string: RFC 3339 ("2026-05-01T12:00:00Z", offsets allowed)
};

struct entity_schema {
  std::string name;
  std::vector<field_rule> fields;
  /// Fields not listed are allowed (a client's own extras) when true, nested
  /// at most `max_extra_depth` levels; else they are rejected.
  bool additional_properties = false;
  size_t max_extra_depth = 4;
};

/// Why a payload broke its kind's rules: the field ("payload.mood") and the
/// issue (required, wrong_type, too_long, out_of_range, not_allowed,
/// invalid_format, too_many_items, unknown_field, too_deep).
struct payload_issue {
  std::string field;
  std::string issue;
};

/// The first rule `payload` breaks, or an empty issue when it keeps them all.
payload_issue check_payload(const entity_schema& schema, simdjson::dom::element payload);

class schema_set {
 public:
  void add(entity_schema s);
  const entity_schema* find(std::string_view name) const;
  size_t size() const { return by_name_.size(); }
  std::vector<std::string> names() const;

 private:
  std::map<std::string, entity_schema, std::less<>> by_name_;
};

struct load_result {
  std::shared_ptr<const schema_set> schemas; // null on error
  std::string error;                         // "file: message"
};

/// Parses one schema file's text (`file` names it in errors).
load_result parse_schema(std::string_view text, const std::string& file, schema_set& into);

/// Reads every <kind>.json of `dir`; the file name must equal its "entity".
/// Fails on a malformed file, an unknown rule or type, or an empty folder.
load_result load_schemas(const std::string& dir);

/// `configured` (HAVEN_SYNC_DATA_DIR) when not empty, else sync_data/ next to
/// the binary, else this source tree's actors/sync_queue/data.
std::string find_data_dir(const std::string& configured = {},
                          const std::string& exe_path = "/proc/self/exe");

/// "2026-05-01T12:00:00Z", "…:00.123+03:00": RFC 3339 date-time syntax with
/// plausible field ranges.
bool is_rfc3339(std::string_view s);

} // namespace haven::sync
