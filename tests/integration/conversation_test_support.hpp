#pragma once

// Helpers of the conversation_*_test.cpp suites (API.md section 5): a chat
// call, a look into PostgreSQL (row counts, pg_dump) to check what is stored.

#include <cstdio>
#include <string>

#include <libpq-fe.h>

#include "tests/integration/safety_test_support.hpp"

namespace haven::test::conversation {

using namespace haven::test::safety;

/// POST /v1/conversation/chat with {"message", "session_id"?, "locale"?}.
inline http_response chat(uint16_t port, const account& u, const std::string& message,
                          const std::string& session_id = {}, const std::string& locale = {}) {
  std::vector<std::pair<std::string, std::string>> kv{{"message", message}};
  if (!session_id.empty())
    kv.emplace_back("session_id", session_id);
  if (!locale.empty())
    kv.emplace_back("locale", locale);
  return call(port, "POST", "/v1/conversation/chat", obj(kv), u.access);
}

/// The first column of the first row of `sql` as text ("<error: …>" on failure).
inline std::string pg_scalar(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  std::string out = "<no connection>";
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
      out = PQgetvalue(r, 0, 0);
    else
      out = std::string{"<error: "} + PQresultErrorMessage(r) + ">";
    PQclear(r);
  }
  PQfinish(c);
  return out;
}

/// The whole database as pg_dump writes it (plain SQL, data included).
inline std::string pg_dump_all(const std::string& url) {
  std::string out;
  FILE* p = ::popen(("pg_dump --no-owner '" + url + "' 2>&1").c_str(), "r");
  if (p == nullptr)
    return "<popen failed>";
  char buf[65536];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  ::pclose(p);
  return out;
}

/// A critical message (the crisis tests' own example).
inline const std::string critical_text =
    "I wrote my suicide note and I am going to kill myself tonight";

/// Whether the chat answer's reply names one of its crisis resources.
inline bool reply_names_a_resource(const std::string& body) {
  auto text = field(body, "/reply/text");
  for (int i = 0; i < 8; ++i) {
    auto p = "/crisis/resources/" + std::to_string(i);
    auto name = field(body, (p + "/name").c_str());
    if (name == "<missing>")
      break;
    if (text.find(name) != std::string::npos)
      return true;
  }
  return false;
}

} // namespace haven::test::conversation
