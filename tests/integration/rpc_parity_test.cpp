// API.md section 9, one table for the four rpc subjects: every case runs
// through the HTTP route and through NATS request-reply (token in the NATS
// header Authorization, reply on an _INBOX. subject) and the two answers must
// agree: the same status and the same body once the values that legitimately
// differ per request (ids, timestamps) are masked. Plus: no answer on a reply
// subject outside _INBOX., request ids carried both ways and into events, and
// one rate-limit bucket shared by HTTP and rpc.
#include <algorithm>
#include <set>

#include "tests/integration/status_test_support.hpp"

namespace haven::test::status {
namespace {

// Keys whose values differ between two otherwise equal requests: fresh ids and
// times (resource_id: each side writes its own record; the test checks it on
// its own). Their presence and type still count (the shape keeps them).
const std::set<std::string, std::less<>> per_request_keys{
    "request_id", "event_id",   "session_id",  "message_id", "id",
    "updated_at", "created_at", "occurred_at", "resource_id"};

void canonical(simdjson::dom::element e, bool mask, std::string& out);

void canonical_value(simdjson::dom::element e, bool mask, std::string& out) {
  if (mask) {
    out += "<";
    out += e.is_string() ? "string" : e.is_null() ? "null" : e.is_bool() ? "bool" : "number";
    out += ">";
    return;
  }
  out += simdjson::minify(e);
}

// Objects with sorted keys (HTTP and rpc may build them in another order),
// values of per-request keys replaced by their type. `shape_only` replaces
// every scalar by its type.
void canonical(simdjson::dom::element e, bool shape_only, std::string& out) {
  if (e.is_object()) {
    std::vector<std::pair<std::string, simdjson::dom::element>> kv;
    simdjson::dom::object o;
    if (e.get(o) != simdjson::SUCCESS)
      return;
    for (auto member : o)
      kv.emplace_back(std::string{member.key}, member.value);
    std::sort(kv.begin(), kv.end(), [](auto& a, auto& b) { return a.first < b.first; });
    out += "{";
    for (auto& [k, v] : kv) {
      out += "\"" + k + "\":";
      if (!v.is_object() && !v.is_array())
        canonical_value(v, shape_only || per_request_keys.count(k) > 0, out);
      else
        canonical(v, shape_only, out);
      out += ",";
    }
    out += "}";
  } else if (e.is_array()) {
    out += "[";
    simdjson::dom::array a;
    if (e.get(a) != simdjson::SUCCESS)
      return;
    for (auto v : a) {
      canonical(v, shape_only, out);
      out += ",";
    }
    out += "]";
  } else {
    canonical_value(e, shape_only, out);
  }
}

std::string canonical(const std::string& json, bool shape_only = false) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json).get(doc) != simdjson::SUCCESS)
    return "<not json: " + json + ">";
  std::string out;
  canonical(doc, shape_only, out);
  return out;
}

// The body of an rpc reply {"status","body"}, as text.
std::string reply_body(const std::string& reply) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc, body;
  if (parser.parse(reply).get(doc) != simdjson::SUCCESS ||
      doc.at_pointer("/body").get(body) != simdjson::SUCCESS)
    return "<no body in " + reply + ">";
  return simdjson::minify(body);
}

struct rpc_answer {
  bool answered = false;
  std::string data;       // {"status","body"}
  std::string request_id; // the reply's Haven-Request-Id header
};

// One NATS request with the given headers; the reply or answered == false.
rpc_answer rpc(const std::string& nats_url, const std::string& subject, const std::string& body,
               const headers& hs) {
  raw_nats nats{nats_url};
  natsMsg* msg = nullptr;
  natsMsg* answer = nullptr;
  rpc_answer out;
  if (natsMsg_Create(&msg, ("haven.rpc." + subject).c_str(), nullptr, body.data(),
                     static_cast<int>(body.size())) != NATS_OK)
    return out;
  for (auto& [k, v] : hs)
    natsMsgHeader_Set(msg, k.c_str(), v.c_str());
  natsStatus s = natsConnection_RequestMsg(&answer, nats.get(), msg, 10000);
  natsMsg_Destroy(msg);
  if (s != NATS_OK)
    return out;
  out.answered = true;
  out.data.assign(natsMsg_GetData(answer), static_cast<size_t>(natsMsg_GetDataLength(answer)));
  const char* rid = nullptr;
  if (natsMsgHeader_Get(answer, "Haven-Request-Id", &rid) == NATS_OK && rid != nullptr)
    out.request_id = rid;
  natsMsg_Destroy(answer);
  return out;
}

enum class token_kind { valid, none, forged };

// One row: the rpc subject, the HTTP request that is its twin, and what both
// must answer.
struct parity_case {
  std::string name;
  std::string subject;
  std::string fields; // the JSON members both bodies share (without braces), or raw text
  bool raw = false;   // `fields` is the whole body, sent as it is (malformed JSON)
  token_kind token = token_kind::valid;
  int status = 200;
  std::string code;            // error code, "" on success
  std::string detail_field;    // details[0].field of a 422
  std::string stage = "graph"; // status.update only
};

parity_case row(std::string name, std::string subject, std::string fields, bool raw = false,
                token_kind token = token_kind::valid, int status = 200, std::string code = {},
                std::string detail_field = {}, std::string stage = "graph") {
  parity_case c;
  c.name = std::move(name);
  c.subject = std::move(subject);
  c.fields = std::move(fields);
  c.raw = raw;
  c.token = token;
  c.status = status;
  c.code = std::move(code);
  c.detail_field = std::move(detail_field);
  c.stage = std::move(stage);
  return c;
}

std::string with_braces(const std::string& members) {
  return "{" + members + "}";
}

const char* method_of(const std::string& subject) {
  return subject == "status.update" ? "PUT" : "POST";
}

std::vector<parity_case> parity_table() {
  std::vector<parity_case> t;
  const std::vector<std::pair<std::string, std::string>> valid{
      {"crisis.detect",
       R"("text":"I wrote my suicide note and I am going to kill myself tonight")"},
      {"safety.validate", R"("text":"write to jane@example.org","direction":"output")"},
      {"conversation.chat", R"("message":"hello over both doors")"},
      {"status.update", R"("status":"processing","progress":12,"message":"half way")"}};
  const std::vector<std::tuple<std::string, std::string, std::string>> rule_breaks{
      {"crisis.detect", R"("text":"")", "text"},
      {"safety.validate", R"("text":"hi")", "direction"},
      {"conversation.chat", R"("message":"")", "message"},
      {"status.update", R"("status":"pending","progress":300)", "progress"}};
  for (auto& [subject, members] : valid) {
    t.push_back(row("valid", subject, members));
    t.push_back(
        row("missing_token", subject, members, false, token_kind::none, 401, "unauthorized"));
    t.push_back(row("bad_token", subject, members, false, token_kind::forged, 401, "unauthorized"));
    t.push_back(row("malformed_json", subject, "{\"text\": ", true, token_kind::valid, 400,
                    "invalid_json"));
  }
  for (auto& [subject, members, field_name] : rule_breaks)
    t.push_back(row("field_rule", subject, members, false, token_kind::valid, 422,
                    "validation_failed", field_name));
  t.push_back(row("bad_stage", "status.update", R"("status":"pending")", false, token_kind::valid,
                  404, "not_found", "", "bogus"));
  return t;
}

class RpcParity : public auth_suite {
 protected:
  // The HTTP answer and the rpc answer of one row, each with a fresh resource
  // id for status.update (a second write to one record is an update).
  struct both {
    http_response http;
    rpc_answer nats;
    std::string http_resource, rpc_resource;
  };

  both run(const parity_case& c, const account& u, headers extra_http = {},
           headers extra_rpc = {}) {
    both out;
    std::string token = c.token == token_kind::valid    ? u.access
                        : c.token == token_kind::forged ? u.access + "x"
                                                        : "";
    std::string http_body = c.raw ? c.fields : with_braces(c.fields);
    std::string rpc_body = http_body;
    std::string path = "/v1/" + std::string{c.subject == "crisis.detect"     ? "crisis/detect"
                                            : c.subject == "safety.validate" ? "safety/validate"
                                                                             : "conversation/chat"};
    if (c.subject == "status.update") {
      out.http_resource = unique_resource("parity-http");
      out.rpc_resource = unique_resource("parity-rpc");
      path = "/v1/status/" + out.http_resource + "/stages/" + c.stage;
      if (!c.raw)
        rpc_body = R"({"resource_id":")" + out.rpc_resource + R"(","stage":")" + c.stage + "\"" +
                   (c.fields.empty() ? "" : "," + c.fields) + "}";
    }
    out.http = call(port(), method_of(c.subject), path, http_body, token, std::move(extra_http));
    if (!token.empty())
      extra_rpc.emplace_back("Authorization", "Bearer " + token);
    out.nats = rpc(the_stack().nats_url(), c.subject, rpc_body, extra_rpc);
    return out;
  }

  // Only one side of a row: the HTTP status, or the rpc reply's data.
  int run_http_only(const parity_case& c, const account& u) {
    auto id = unique_resource("parity-one");
    auto path = c.subject == "status.update"     ? "/v1/status/" + id + "/stages/" + c.stage
                : c.subject == "crisis.detect"   ? std::string{"/v1/crisis/detect"}
                : c.subject == "safety.validate" ? std::string{"/v1/safety/validate"}
                                                 : std::string{"/v1/conversation/chat"};
    return call(port(), method_of(c.subject), path, with_braces(c.fields), u.access).status;
  }
  std::string run_rpc_only(const parity_case& c, const account& u) {
    auto body = c.subject == "status.update"
                    ? R"({"resource_id":")" + unique_resource("parity-one") + R"(","stage":")" +
                          c.stage + "\"," + c.fields + "}"
                    : with_braces(c.fields);
    return rpc(the_stack().nats_url(), c.subject, body, {{"Authorization", "Bearer " + u.access}})
        .data;
  }
};

TEST_F(RpcParity, EveryCaseAnswersTheSameOverHttpAndNats) {
  auto u = register_account(port());
  auto table = parity_table();
  ASSERT_EQ(table.size(), 4u * 5u + 1u);
  for (const auto& c : table) {
    SCOPED_TRACE(c.subject + " / " + c.name);
    auto r = run(c, u);
    ASSERT_TRUE(r.nats.answered) << "no rpc answer";
    EXPECT_EQ(r.http.status, c.status) << r.http.body;
    EXPECT_EQ(field(r.nats.data, "/status"), std::to_string(c.status)) << r.nats.data;
    auto rpc_body = reply_body(r.nats.data);
    // The same members with the same types, and the same values apart from ids and times.
    EXPECT_EQ(canonical(rpc_body, true), canonical(r.http.body, true));
    EXPECT_EQ(canonical(rpc_body), canonical(r.http.body));
    if (!c.code.empty()) {
      EXPECT_EQ(field(r.http.body, "/error/code"), c.code) << r.http.body;
      EXPECT_EQ(field(rpc_body, "/error/code"), c.code) << rpc_body;
      EXPECT_EQ(field(rpc_body, "/error/request_id").empty(), false) << rpc_body;
    }
    if (!c.detail_field.empty()) {
      EXPECT_EQ(field(r.http.body, "/error/details/0/field"), c.detail_field) << r.http.body;
      EXPECT_EQ(field(rpc_body, "/error/details/0/field"), c.detail_field) << rpc_body;
    }
    if (c.status == 200 && c.subject == "status.update") {
      // The masked ids are the ones each side wrote.
      EXPECT_EQ(field(r.http.body, "/resource_id"), r.http_resource);
      EXPECT_EQ(field(rpc_body, "/resource_id"), r.rpc_resource);
    }
  }
}

// The reply subject decides where the node publishes under its own identity:
// anything but an inbox gets no answer (and is not executed as a write).
TEST_F(RpcParity, NoAnswerOutsideAnInbox) {
  auto u = register_account(port());
  raw_nats nats{the_stack().nats_url()};
  auto* sub = nats.subscribe("parity.>");
  auto* haven_sub = nats.subscribe("haven.parity.>");
  for (const auto& c : parity_table()) {
    if (c.name != "valid")
      continue;
    SCOPED_TRACE(c.subject);
    std::string body = with_braces(c.fields);
    std::string resource;
    if (c.subject == "status.update") {
      resource = unique_resource("parity-spoof");
      body = R"({"resource_id":")" + resource + R"(","stage":"graph",)" + c.fields + "}";
    }
    for (const char* reply : {"parity.reply", "haven.parity.reply", "haven.parity._INBOX.x",
                              "_INBOX", "parity._INBOX.y"}) {
      natsMsg* msg = nullptr;
      ASSERT_EQ(natsMsg_Create(&msg, ("haven.rpc." + c.subject).c_str(), reply, body.data(),
                               static_cast<int>(body.size())),
                NATS_OK);
      natsMsgHeader_Set(msg, "Authorization", ("Bearer " + u.access).c_str());
      ASSERT_EQ(natsConnection_PublishMsg(nats.get(), msg), NATS_OK);
      natsMsg_Destroy(msg);
    }
    ASSERT_EQ(natsConnection_Flush(nats.get()), NATS_OK);
    // A real request after them is answered, so the node has seen the spoofed ones.
    auto real =
        rpc(the_stack().nats_url(), c.subject,
            c.subject == "status.update" ? R"({"resource_id":")" + unique_resource("parity-real") +
                                               R"(","stage":"graph",)" + c.fields + "}"
                                         : body,
            {{"Authorization", "Bearer " + u.access}});
    EXPECT_EQ(field(real.data, "/status"), "200") << real.data;
    if (!resource.empty()) {
      EXPECT_EQ(get_status(port(), u.access, resource).status, 404)
          << "a request with a refused reply subject was still executed";
    }
  }
  EXPECT_FALSE(raw_nats::next(sub, 500ms).has_value()) << "answered a non-inbox subject";
  EXPECT_FALSE(raw_nats::next(haven_sub, 100ms).has_value()) << "answered a non-inbox subject";
  natsSubscription_Destroy(sub);
  natsSubscription_Destroy(haven_sub);
}

// A request id given by the caller comes back on both doors (response header,
// reply header, error body) under either header name NATS callers use.
TEST_F(RpcParity, RequestIdsCarriedEndToEnd) {
  auto u = register_account(port());
  int n = 0;
  for (const auto& c : parity_table()) {
    if (c.name != "valid" && c.name != "missing_token")
      continue;
    for (const char* header : {"Haven-Request-Id", "X-Request-ID"}) {
      SCOPED_TRACE(c.subject + " / " + c.name + " / " + header);
      const std::string id = "parity-" + std::to_string(++n) + "." + c.name;
      auto r = run(c, u, {{"X-Request-ID", id + "-h"}}, {{header, id + "-n"}});
      ASSERT_TRUE(r.nats.answered);
      EXPECT_EQ(r.http.header_or_empty("x-request-id"), id + "-h");
      EXPECT_EQ(r.nats.request_id, id + "-n") << r.nats.data;
      if (c.status != 200) {
        EXPECT_EQ(field(r.http.body, "/error/request_id"), id + "-h");
        EXPECT_EQ(field(reply_body(r.nats.data), "/error/request_id"), id + "-n") << r.nats.data;
      }
    }
  }
  // An id that is not [A-Za-z0-9._-]{1,128} is replaced, over NATS as over HTTP.
  auto c = parity_table().front();
  c.token = token_kind::none;
  auto r = run(c, u, {{"X-Request-ID", "bad id!"}}, {{"Haven-Request-Id", "bad id!"}});
  EXPECT_NE(r.http.header_or_empty("x-request-id"), "bad id!");
  EXPECT_NE(r.nats.request_id, "bad id!");
  EXPECT_FALSE(r.nats.request_id.empty());
  EXPECT_EQ(field(reply_body(r.nats.data), "/error/request_id"), r.nats.request_id);
}

// ... and into the events the request causes (crisis.detected, status.updated).
TEST_F(RpcParity, RequestIdReachesTheEvent) {
  auto u = register_account(port());
  raw_nats nats{the_stack().nats_url()};
  auto* sub = nats.subscribe("haven.events.>");
  auto crisis = rpc(the_stack().nats_url(), "crisis.detect",
                    R"({"text":"I wrote my suicide note and I am going to kill myself tonight"})",
                    {{"Authorization", "Bearer " + u.access}, {"Haven-Request-Id", "parity-ev-1"}});
  ASSERT_EQ(field(crisis.data, "/status"), "200") << crisis.data;
  auto event_id = field(reply_body(crisis.data), "/event_id");
  auto ev = next_on(sub, "haven.events.crisis.detected", event_id);
  ASSERT_TRUE(ev.has_value()) << "no crisis.detected event";
  EXPECT_EQ(field(ev->data, "/request_id"), "parity-ev-1");
  const std::string resource = unique_resource("parity-ev");
  auto st = rpc(the_stack().nats_url(), "status.update",
                R"({"resource_id":")" + resource + R"(","stage":"graph","status":"pending"})",
                {{"Authorization", "Bearer " + u.access}, {"X-Request-ID", "parity-ev-2"}});
  ASSERT_EQ(field(st.data, "/status"), "200") << st.data;
  auto ev2 = next_on(sub, "haven.events.status.updated", resource);
  ASSERT_TRUE(ev2.has_value()) << "no status.updated event";
  EXPECT_EQ(field(ev2->data, "/request_id"), "parity-ev-2");
  natsSubscription_Destroy(sub);
}

// API.md section 9: rpc requests are limited exactly like the HTTP route, in
// the same bucket. With 4 per window, 4 HTTP requests spend the user's bucket
// and the rpc request after them is refused in its reply (and the other way
// round, with a fresh user each time).
class RpcParityLimited : public RpcParity {
 protected:
  static constexpr int limit = 4;
  static void SetUpTestSuite() { start({{"HAVEN_RATE_LIMIT_FREE", std::to_string(limit)}}); }
};

TEST_F(RpcParityLimited, HttpAndRpcShareOneBucket) {
  for (const auto& c : parity_table()) {
    if (c.name != "valid")
      continue;
    SCOPED_TRACE(c.subject);
    auto u = register_account(port());
    int http_ok = 0;
    for (int i = 0; i < limit; ++i)
      http_ok += run_http_only(c, u) == 200;
    EXPECT_EQ(http_ok, limit);
    auto r = run(c, u);
    EXPECT_EQ(r.http.status, 429);
    ASSERT_TRUE(r.nats.answered);
    EXPECT_EQ(field(r.nats.data, "/status"), "429") << r.nats.data;
    EXPECT_EQ(field(reply_body(r.nats.data), "/error/code"), "rate_limited") << r.nats.data;
    EXPECT_EQ(canonical(reply_body(r.nats.data)), canonical(r.http.body));

    auto v = register_account(port());
    int rpc_ok = 0;
    for (int i = 0; i < limit; ++i)
      rpc_ok += field(run_rpc_only(c, v), "/status") == "200";
    EXPECT_EQ(rpc_ok, limit);
    EXPECT_EQ(run_http_only(c, v), 429) << "HTTP did not see the rpc requests' spending";
  }
}

} // namespace
} // namespace haven::test::status
