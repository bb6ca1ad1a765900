#pragma once

// Helpers of the sync suites (API.md section 6): op and upload bodies, the
// parsed answers, a feed reader that follows the cursor to the end, and a
// fixture with a stack and two nodes sharing one key folder (so a token works
// on both).

#include <chrono>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "io/nats/message.hpp"
#include "tests/integration/auth_test_support.hpp"
#include "tests/integration/support/poll.hpp"
#include "tests/integration/support/raw_nats.hpp"

namespace haven::test::sync {

using namespace haven::test::auth;
using namespace std::chrono_literals;

inline std::string new_uuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20)
      s.push_back('-');
    int v = static_cast<int>(rng() & 15);
    if (i == 12)
      v = 4;
    if (i == 16)
      v = 8 | (v & 3);
    s.push_back(hex[v]);
  }
  return s;
}

struct op_spec {
  std::string op_id = new_uuid();
  std::string entity = "journal_entry";
  std::string entity_id;
  std::string kind = "upsert";
  int64_t base_version = 0;
  std::string payload = R"({"title":"t","body":"b"})"; // raw JSON; empty = no payload field
};

inline std::string op_json(const op_spec& o) {
  json::writer w;
  w.begin_object();
  w.field("op_id", o.op_id);
  w.field("entity", o.entity);
  w.field("entity_id", o.entity_id);
  w.field("kind", o.kind);
  w.field("base_version", o.base_version);
  if (!o.payload.empty())
    w.key("payload").raw(o.payload);
  w.field("client_ts", "2026-05-01T10:00:00Z");
  w.end_object();
  return std::move(w).str();
}

inline std::string upload_json(const std::vector<op_spec>& ops,
                               const std::string& device = "phone-1") {
  std::string s = "{\"device_id\":\"" + device + "\",\"ops\":[";
  for (size_t i = 0; i < ops.size(); ++i)
    s += (i ? "," : "") + op_json(ops[i]);
  return s + "]}";
}

struct op_result {
  std::string op_id, status, error, first_status;
  int64_t version = -1, server_version = -1;
};

struct upload_answer {
  int status = 0;
  std::string body;
  std::vector<op_result> results;
  std::string cursor;
};

inline int64_t int_or(simdjson::dom::object o, const char* key, int64_t fallback) {
  int64_t n = 0;
  return o[key].get_int64().get(n) == simdjson::SUCCESS ? n : fallback;
}

inline std::string str_or(simdjson::dom::object o, const char* key) {
  std::string_view s;
  return o[key].get_string().get(s) == simdjson::SUCCESS ? std::string{s} : std::string{};
}

inline upload_answer parse_upload(const http_response& r) {
  upload_answer a;
  a.status = r.status;
  a.body = r.body;
  if (r.status != 200)
    return a;
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (p.parse(r.body).get(root) != simdjson::SUCCESS)
    return a;
  simdjson::dom::array results;
  if (root["results"].get_array().get(results) == simdjson::SUCCESS)
    for (auto item : results) {
      simdjson::dom::object o;
      if (item.get_object().get(o) != simdjson::SUCCESS)
        continue;
      a.results.push_back({str_or(o, "op_id"), str_or(o, "status"), str_or(o, "error"),
                           str_or(o, "first_status"), int_or(o, "version", -1),
                           int_or(o, "server_version", -1)});
    }
  std::string_view c;
  if (root["cursor"].get_string().get(c) == simdjson::SUCCESS)
    a.cursor = std::string{c};
  return a;
}

inline upload_answer upload(uint16_t port, const account& who, const std::vector<op_spec>& ops,
                            const std::string& device = "phone-1") {
  return parse_upload(call(port, "POST", "/v1/sync/upload", upload_json(ops, device), who.access));
}

struct change {
  std::string entity, entity_id, kind, payload, device_id, server_ts;
  int64_t version = -1;
};

struct changes_page {
  int status = 0;
  std::string body;
  std::vector<change> changes;
  std::string cursor;
  bool has_more = false;
};

inline changes_page changes(uint16_t port, const account& who, const std::string& since = {},
                            int limit = 0) {
  std::string path = "/v1/sync/changes";
  std::string sep = "?";
  if (!since.empty()) {
    path += sep + "since=" + since;
    sep = "&";
  }
  if (limit > 0)
    path += sep + "limit=" + std::to_string(limit);
  auto r = call(port, "GET", path, {}, who.access);
  changes_page page;
  page.status = r.status;
  page.body = r.body;
  if (r.status != 200)
    return page;
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (p.parse(r.body).get(root) != simdjson::SUCCESS)
    return page;
  simdjson::dom::array items;
  if (root["changes"].get_array().get(items) == simdjson::SUCCESS)
    for (auto item : items) {
      simdjson::dom::object o;
      if (item.get_object().get(o) != simdjson::SUCCESS)
        continue;
      change c{str_or(o, "entity"),    str_or(o, "entity_id"), str_or(o, "kind"),       {},
               str_or(o, "device_id"), str_or(o, "server_ts"), int_or(o, "version", -1)};
      simdjson::dom::element payload;
      if (o["payload"].get(payload) == simdjson::SUCCESS && !payload.is_null())
        c.payload = simdjson::minify(payload);
      page.changes.push_back(std::move(c));
    }
  std::string_view c;
  if (root["cursor"].get_string().get(c) == simdjson::SUCCESS)
    page.cursor = std::string{c};
  bool more = false;
  if (root["has_more"].get_bool().get(more) == simdjson::SUCCESS)
    page.has_more = more;
  return page;
}

/// Every change of the caller after `since`, following the cursor page by page.
inline std::vector<change> whole_feed(uint16_t port, const account& who, int limit = 500,
                                      std::string since = {}, int* pages = nullptr) {
  std::vector<change> all;
  for (int guard = 0; guard < 100000; ++guard) {
    auto page = changes(port, who, since, limit);
    EXPECT_EQ(page.status, 200) << page.body;
    if (page.status != 200)
      break;
    if (pages != nullptr)
      ++*pages;
    all.insert(all.end(), page.changes.begin(), page.changes.end());
    since = page.cursor;
    if (!page.has_more)
      break;
  }
  return all;
}

/// The entity ids' versions in feed order must be 1, 2, 3, … with no gap or
/// repeat: the per-user order held.
inline std::string version_gaps(const std::vector<change>& feed) {
  std::map<std::string, int64_t> last;
  for (const auto& c : feed) {
    auto& v = last[c.entity_id];
    if (c.version != v + 1)
      return c.entity_id + ": version " + std::to_string(c.version) + " after " + std::to_string(v);
    v = c.version;
  }
  return {};
}

/// A stack and two nodes sharing one key folder, for the whole suite.
class sync_suite : public stack_test {
 protected:
  static void SetUpTestSuite() {
    start_stack();
    if (stack_ == nullptr)
      return;
    start_nodes();
  }
  static void TearDownTestSuite() {
    a_.reset();
    b_.reset();
    stop_stack();
  }
  static env_map node_env_for_suite() {
    return auth_env(*stack_, {{"HAVEN_JWT_KEY_DIR", stack_->dir() + "/keys"}});
  }
  static void start_nodes() {
    a_ = std::make_unique<haven_process>(node_env_for_suite());
    ASSERT_TRUE(a_->wait_until_ready()) << a_->log_text();
    b_ = std::make_unique<haven_process>(node_env_for_suite());
    ASSERT_TRUE(b_->wait_until_ready()) << b_->log_text();
  }
  void TearDown() override {
    if (HasFailure() && a_ != nullptr)
      std::cerr << "---- node a log (tail) ----\n" << tail(a_->log_text()) << "\n";
    stack_test::TearDown();
  }
  static std::string tail(const std::string& s) {
    return s.size() > 6000 ? s.substr(s.size() - 6000) : s;
  }
  static uint16_t port() { return a_->port(); }

  static inline std::unique_ptr<haven_process> a_, b_;
};

} // namespace haven::test::sync
