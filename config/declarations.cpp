// The settings table: every HAVEN_* key, declared once (STYLE.md rule 8).
// Adding a key = one entry here plus its field in settings.hpp; the loader,
// `haven config check`, config/README.md and the tests pick it up from here.

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <random>
#include <type_traits>
#include <utility>

#include "config/connection_strings.hpp"
#include "config/declaration.hpp"
#include "config/value_parsers.hpp"

namespace haven::config {

namespace {

using assign_fn = bool (*)(std::string_view, settings&);
using render_fn = std::string (*)(const settings&);

constexpr uint64_t kib = 1024;
constexpr uint64_t mib = 1024 * kib;

template <auto Field, uint64_t Min, uint64_t Max>
declaration integer_key(std::string key, std::string default_text, std::string description) {
  using value_type = std::remove_reference_t<decltype(std::declval<settings&>().*Field)>;
  static_assert(Max <= std::numeric_limits<value_type>::max(), "bound does not fit the field");
  declaration d;
  d.key = std::move(key);
  d.description = std::move(description);
  d.default_text = std::move(default_text);
  d.expects = "an integer in " + std::to_string(Min) + ".." + std::to_string(Max);
  d.assign = [](std::string_view text, settings& out) {
    auto value = parse::decimal(text, Max);
    if (!value || *value < Min)
      return false;
    out.*Field = static_cast<value_type>(*value);
    return true;
  };
  d.render = [](const settings& in) { return std::to_string(in.*Field); };
  return d;
}

declaration text_key(std::string key, std::string default_text, std::string expects,
                     std::string description, assign_fn assign, render_fn render,
                     exposure shown = exposure::plain) {
  declaration d;
  d.key = std::move(key);
  d.description = std::move(description);
  d.default_text = std::move(default_text);
  d.expects = std::move(expects);
  d.shown = shown;
  d.assign = assign;
  d.render = render;
  return d;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : ",") + item;
  return out;
}

// What a HAVEN_MODERATION_*_BLOCK / _REVIEW value may be, naming the categories.
std::string threshold_list_expects() {
  std::string names;
  for (auto name : moderation_categories)
    names += (names.empty() ? "" : ", ") + std::string{name};
  return "comma-separated category=threshold items, each category (" + names +
         ") at most once, each threshold a number > 0 (above 1 = never) or never";
}

std::string render_thresholds(const std::vector<threshold_override>& items) {
  std::string out;
  for (const auto& item : items) {
    std::string value = "never";
    if (item.threshold <= 1.0f) {
      char buffer[64];
      auto end =
          std::to_chars(buffer, buffer + sizeof buffer, item.threshold, std::chars_format::fixed)
              .ptr;
      value.assign(buffer, end);
    }
    out += (out.empty() ? "" : ",") + item.category + "=" + value;
  }
  return out;
}

template <auto Field>
declaration threshold_key(std::string key, std::string description) {
  return text_key(
      std::move(key), "", threshold_list_expects(), std::move(description),
      [](std::string_view text, settings& out) {
        auto items = parse::threshold_list(text);
        if (!items)
          return false;
        out.*Field = std::move(*items);
        return true;
      },
      [](const settings& in) { return render_thresholds(in.*Field); });
}

// Host name (cleaned to the node-id alphabet) plus 6 random hex digits, so two
// nodes on one host, or two restarts, do not share an id by accident.
std::string default_node_id(const settings&) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0')
    std::snprintf(host, sizeof(host), "haven");
  std::string name{host};
  for (auto& c : name)
    if (!parse::is_token(std::string_view{&c, 1}, "._-", 1))
      c = '-';
  name.resize(std::min<size_t>(name.size(), 64 - 7));
  char suffix[8];
  std::random_device random;
  std::snprintf(suffix, sizeof(suffix), "-%06x", static_cast<unsigned>(random() & 0xFFFFFF));
  return name + suffix;
}

// The three moderation keys of one direction (input: what people write,
// output: what is written to them), alike but for the direction.
template <auto Block, auto Review, auto RedactPii>
void add_moderation_keys(std::vector<declaration>& table, const std::string& upper,
                         const std::string& dir) {
  const std::string prefix = "HAVEN_MODERATION_" + upper;
  const std::string others = " moderation for the listed categories; the others (all when empty) "
                             "keep the defaults.";
  table.push_back(threshold_key<Block>(prefix + "_BLOCK", "Block thresholds of " + dir + others));
  table.push_back(
      threshold_key<Review>(prefix + "_REVIEW", "Review-queue thresholds of " + dir + others));
  table.push_back(integer_key<RedactPii, 0, 1>(
      prefix + "_REDACT_PII", "1",
      "1 replaces e-mails, phone and card numbers in " + dir +
          " text with [EMAIL], [PHONE], [CARD]; 0 leaves them (still reported as pii)."));
}

// A folder or file the node reads data from. Empty means "the one installed
// next to the binary, else the source tree's" (each family's find_* function);
// a set path is used as given, so a wrong one fails start-up loudly.
template <std::string settings::*Field>
declaration path_key(std::string key, std::string expects, std::string description) {
  declaration d;
  d.key = std::move(key);
  d.description = std::move(description);
  d.default_text = "";
  d.expects = std::move(expects);
  d.assign = [](std::string_view text, settings& out) {
    for (char c : text)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
        return false;
    out.*Field = std::string{text};
    return true;
  };
  d.render = [](const settings& in) { return in.*Field; };
  return d;
}

void add_data_keys(std::vector<declaration>& table) {
  const std::string folder =
      "a folder path without control characters, or empty for the built-in data";
  table.push_back(path_key<&settings::crisis_data_dir>(
      "HAVEN_CRISIS_DATA_DIR", folder, "Crisis lexicons, clause classes and resources."));
  table.push_back(path_key<&settings::crisis_model>(
      "HAVEN_CRISIS_MODEL", "a file path, off, or empty for the model built with the binary",
      "The crisis detector's learned second opinion (fastText); off runs the rules alone."));
  table.push_back(path_key<&settings::moderation_data_dir>("HAVEN_MODERATION_DATA_DIR", folder,
                                                           "Moderation lexicons."));
  table.push_back(path_key<&settings::cultural_data_dir>("HAVEN_CULTURAL_DATA_DIR", folder,
                                                         "The cultural-context knowledge base."));
  table.push_back(path_key<&settings::sync_data_dir>(
      "HAVEN_SYNC_DATA_DIR", folder, "Sync entity kinds and their field rules (*.json)."));
}

// Conversations (API.md section 5, docs/conversations.md): session actors, the
// fallback templates, old data keys, and the optional language-model provider.
void add_conversation_keys(std::vector<declaration>& table) {
  table.push_back(integer_key<&settings::session_idle_s, 1, 86400>(
      "HAVEN_SESSION_IDLE_S", "300",
      "Seconds a conversation session actor stays in memory without a turn before it "
      "passivates (PostgreSQL keeps the session)."));
  table.push_back(text_key(
      "HAVEN_SESSIONS_DATA_DIR", "", "a folder path without control characters, or empty",
      "Fallback reply templates (fallback.tsv); empty = sessions_data/ next to the binary, else "
      "the source tree's actors/sessions/data.",
      [](std::string_view text, settings& out) {
        for (char c : text)
          if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return false;
        out.sessions_data_dir = std::string{text};
        return true;
      },
      [](const settings& in) { return in.sessions_data_dir; }));
  table.push_back(text_key(
      "HAVEN_DATA_KEYS_OLD", "", "a comma-separated list of standard base64 32-byte keys",
      "Earlier data keys: rows they sealed stay readable; `haven reencrypt` moves them to "
      "HAVEN_DATA_KEY.",
      [](std::string_view text, settings& out) {
        auto items = parse::comma_list(text);
        if (!items)
          return false;
        for (const auto& item : *items)
          if (parse::base64_decoded_size(item) != size_t{32})
            return false;
        out.data_keys_old = std::move(*items);
        return true;
      },
      [](const settings& in) { return join(in.data_keys_old); }, exposure::secret));
  table.push_back(text_key(
      "HAVEN_LLM_URL", "", "empty, or an http:// or https:// URL",
      "OpenAI-compatible chat-completions endpoint; empty = built-in fallback replies only.",
      [](std::string_view text, settings& out) {
        out.llm_url = std::string{text};
        if (text.empty())
          return true;
        for (char c : text)
          if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F)
            return false;
        return text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0;
      },
      [](const settings& in) { return in.llm_url; }));
  table.push_back(text_key(
      "HAVEN_LLM_MODEL", "", "a model name (printable, no spaces) or empty",
      "Model name sent to the provider.",
      [](std::string_view text, settings& out) {
        out.llm_model = std::string{text};
        return parse::is_token(text, "._-:/", 200) || text.empty();
      },
      [](const settings& in) { return in.llm_model; }));
  table.push_back(text_key(
      "HAVEN_LLM_API_KEY", "", "any text without control characters",
      "Bearer key of the provider (secret).",
      [](std::string_view text, settings& out) {
        for (char c : text)
          if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return false;
        out.llm_api_key = std::string{text};
        return true;
      },
      [](const settings& in) { return in.llm_api_key; }, exposure::secret));
  table.push_back(integer_key<&settings::llm_timeout_ms, 100, 120000>(
      "HAVEN_LLM_TIMEOUT_MS", "8000",
      "Milliseconds a provider call may take; past it the fallback answers."));
  table.push_back(integer_key<&settings::llm_max_concurrency, 0, 1024>(
      "HAVEN_LLM_MAX_CONCURRENCY", "8",
      "Provider calls in flight per node; beyond it the fallback answers at once (busy)."));
}

std::vector<declaration> build_table() {
  std::vector<declaration> table;
  table.push_back(text_key(
      "HAVEN_ENV", "dev", "dev or prod",
      "Deployment profile; prod requires HAVEN_DATA_KEY and logs JSON by default.",
      [](std::string_view text, settings& out) {
        if (text != "dev" && text != "prod")
          return false;
        out.env = text == "prod" ? environment::prod : environment::dev;
        return true;
      },
      [](const settings& in) -> std::string {
        return in.env == environment::prod ? "prod" : "dev";
      }));
  table.push_back(text_key(
      "HAVEN_HTTP_ADDR", "0.0.0.0:8080",
      "host:port with host an IPv4 address, localhost or [IPv6] and port 0..65535",
      "Address the HTTP API listens on; port 0 picks a free port.",
      [](std::string_view text, settings& out) {
        auto address = parse::listen_address(text);
        if (!address)
          return false;
        out.http_host = address->host;
        out.http_port = address->port;
        return true;
      },
      [](const settings& in) {
        bool v6 = in.http_host.find(':') != std::string::npos;
        auto host = v6 ? "[" + in.http_host + "]" : in.http_host;
        return host + ":" + std::to_string(in.http_port);
      }));
  table.push_back(text_key(
      "HAVEN_PG_URL", "postgresql://postgres@127.0.0.1:55432/haven",
      "a libpq key=value connection string or a postgresql:// URI",
      "PostgreSQL connection string (libpq conninfo or URI).",
      [](std::string_view text, settings& out) {
        out.pg_url = std::string{text};
        return parse::is_postgres_url(text);
      },
      [](const settings& in) { return in.pg_url; }, exposure::masked_password));
  table.push_back(text_key(
      "HAVEN_REDIS_URL", "redis://127.0.0.1:56379/0", "redis://[[user]:password@]host[:port][/db]",
      "Redis server for rate limits and sessions.",
      [](std::string_view text, settings& out) {
        auto endpoint = parse::redis_url(text);
        if (!endpoint)
          return false;
        out.redis_url = std::string{text};
        out.redis_user = endpoint->where.user;
        out.redis_password = endpoint->where.password;
        out.redis_host = endpoint->where.host;
        out.redis_port = *endpoint->where.port;
        out.redis_db = endpoint->db;
        return true;
      },
      [](const settings& in) { return in.redis_url; }, exposure::masked_password));
  table.push_back(text_key(
      "HAVEN_NATS_URL", "nats://127.0.0.1:54222",
      "a comma-separated list of nats://[user:password@|token@]host[:port]",
      "NATS servers of the cluster bus.",
      [](std::string_view text, settings& out) {
        auto urls = parse::comma_list(text);
        if (!urls || urls->empty())
          return false;
        for (const auto& url : *urls)
          if (!parse::is_nats_url(url))
            return false;
        out.nats_urls = std::move(*urls);
        return true;
      },
      [](const settings& in) { return join(in.nats_urls); }, exposure::masked_password));
  table.push_back(text_key(
      "HAVEN_NATS_PREFIX", "haven", "1..32 characters of [A-Za-z0-9_-]",
      "First token of every NATS subject, to share one NATS between deployments.",
      [](std::string_view text, settings& out) {
        out.nats_prefix = std::string{text};
        return parse::is_token(text, "_-", 32);
      },
      [](const settings& in) { return in.nats_prefix; }));
  table.push_back(text_key(
      "HAVEN_NODE_ID", "host name, '-', 6 random hex digits", "1..64 characters of [A-Za-z0-9._-]",
      "Name of this node in logs, metrics and NATS subjects; unique per cluster.",
      [](std::string_view text, settings& out) {
        out.node_id = std::string{text};
        return parse::is_token(text, "._-", 64);
      },
      [](const settings& in) { return in.node_id; }));
  table.back().computed_default = default_node_id;
  table.push_back(text_key(
      "HAVEN_JWT_KEY_DIR", ".haven/keys", "a non-empty folder path without control characters",
      "Folder of Ed25519 signing keys; in dev a key is generated when it is empty.",
      [](std::string_view text, settings& out) {
        out.jwt_key_dir = std::string{text};
        for (char c : text)
          if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return false;
        return !text.empty();
      },
      [](const settings& in) { return in.jwt_key_dir; }));
  table.push_back(text_key(
      "HAVEN_DATA_KEY", "", "standard base64 of exactly 32 bytes",
      "Key for encryption at rest; required in prod, generated in dev when empty.",
      [](std::string_view text, settings& out) {
        out.data_key = std::string{text};
        return text.empty() || parse::base64_decoded_size(text) == size_t{32};
      },
      [](const settings& in) { return in.data_key; }, exposure::secret));
  table.back().required_in_prod = true;
  table.push_back(integer_key<&settings::access_ttl_s, 60, 86400>(
      "HAVEN_ACCESS_TTL_S", "900", "Lifetime of an access token, in seconds."));
  table.push_back(integer_key<&settings::refresh_ttl_s, 300, 31536000>(
      "HAVEN_REFRESH_TTL_S", "604800", "Lifetime of a refresh token, in seconds."));
  table.push_back(integer_key<&settings::session_max_age_s, 300, 31536000>(
      "HAVEN_SESSION_MAX_AGE_S", "2592000",
      "Absolute lifetime of a login session (refresh-token family), in seconds: no refresh "
      "extends it past this, counted from the login."));
  table.push_back(integer_key<&settings::rate_limit_free, 1, 10000000>(
      "HAVEN_RATE_LIMIT_FREE", "60", "Requests per window for a free-tier user."));
  table.push_back(integer_key<&settings::rate_limit_premium, 1, 10000000>(
      "HAVEN_RATE_LIMIT_PREMIUM", "600", "Requests per window for a premium user."));
  table.push_back(integer_key<&settings::rate_limit_admin, 1, 10000000>(
      "HAVEN_RATE_LIMIT_ADMIN", "6000", "Requests per window for an administrator."));
  table.push_back(integer_key<&settings::rate_limit_anon, 1, 10000000>(
      "HAVEN_RATE_LIMIT_ANON", "60", "Requests per window per client address without a token."));
  table.push_back(integer_key<&settings::rate_limit_window_s, 1, 86400>(
      "HAVEN_RATE_LIMIT_WINDOW_S", "60", "Length of the rate-limit window, in seconds."));
  table.push_back(integer_key<&settings::rate_limit_enabled, 0, 1>(
      "HAVEN_RATE_LIMIT_ENABLED", "1",
      "1 limits every /v1 route (API.md section 2); 0 switches it off, for benchmarks only."));
  table.push_back(integer_key<&settings::auth_addr_limit, 1, 1000000>(
      "HAVEN_AUTH_ADDR_LIMIT", "50",
      "Auth requests (login, register, refresh) per window per address."));
  table.push_back(integer_key<&settings::login_max_failures_account, 1, 1000000>(
      "HAVEN_LOGIN_MAX_FAILURES_ACCOUNT", "5",
      "Failed logins per window before an account is locked out."));
  table.push_back(integer_key<&settings::login_max_failures_addr, 1, 1000000>(
      "HAVEN_LOGIN_MAX_FAILURES_ADDR", "20",
      "Failed logins per window before an address is locked out."));
  // libsodium's Argon2id accepts 8 KiB (crypto_pwhash_argon2id_MEMLIMIT_MIN)
  // and opslimit 1 at least (static_asserts in app/auth_wiring.cpp); 4 GiB
  // per hash is far beyond any sensible cost.
  table.push_back(integer_key<&settings::argon_memory_kib, 8, 4 * mib>(
      "HAVEN_ARGON_MEMORY_KIB", "19456",
      "Argon2id memory cost of new password hashes, in KiB (19456 = 19 MiB); each hashing worker "
      "uses this much while it hashes."));
  table.push_back(integer_key<&settings::argon_iterations, 1, 10>(
      "HAVEN_ARGON_ITERATIONS", "2", "Argon2id passes (time cost) of new password hashes."));
  table.push_back(integer_key<&settings::hash_workers, 0, 64>(
      "HAVEN_HASH_WORKERS", "0",
      "Threads that hash and verify passwords; 0 = half the CPU cores, at least 1."));
  table.push_back(text_key(
      "HAVEN_TRUSTED_PROXIES", "", "a comma-separated list of IPv4/IPv6 addresses or CIDRs",
      "Proxies whose X-Forwarded-For is believed; empty trusts none.",
      [](std::string_view text, settings& out) {
        auto entries = parse::comma_list(text);
        if (!entries)
          return false;
        for (const auto& entry : *entries)
          if (!parse::is_ip_or_cidr(entry))
            return false;
        out.trusted_proxies = std::move(*entries);
        return true;
      },
      [](const settings& in) { return join(in.trusted_proxies); }));
  table.push_back(text_key(
      "HAVEN_LOG_LEVEL", "info", "one of trace, debug, info, warn, error, off",
      "Lowest severity that is logged.",
      [](std::string_view text, settings& out) {
        for (std::string_view level : {"trace", "debug", "info", "warn", "error", "off"})
          if (text == level) {
            out.log_level = std::string{text};
            return true;
          }
        return false;
      },
      [](const settings& in) { return in.log_level; }));
  table.push_back(text_key(
      "HAVEN_LOG_FORMAT", "json in prod, text in dev", "json or text", "Log line format.",
      [](std::string_view text, settings& out) {
        if (text != "json" && text != "text")
          return false;
        out.log_fmt = text == "json" ? log_format::json : log_format::text;
        return true;
      },
      [](const settings& in) -> std::string {
        return in.log_fmt == log_format::json ? "json" : "text";
      }));
  table.back().computed_default = [](const settings& so_far) -> std::string {
    return so_far.env == environment::prod ? "json" : "text";
  };
  table.push_back(integer_key<&settings::workers, 0, 256>(
      "HAVEN_WORKERS", "0",
      "Actor scheduler threads; 0 = the CPUs the process may run on, less one for the HTTP "
      "edge's I/O thread (at least 1)."));
  table.push_back(integer_key<&settings::max_body_bytes, 1 * kib, 64 * mib>(
      "HAVEN_MAX_BODY_BYTES", "65536", "Largest request body (413 above), in bytes."));
  table.push_back(integer_key<&settings::max_upload_body_bytes, 1 * kib, 256 * mib>(
      "HAVEN_MAX_UPLOAD_BODY_BYTES", "4194304", "Largest body of POST /v1/sync/upload, in bytes."));
  table.push_back(integer_key<&settings::max_header_bytes, 1 * kib, 1 * mib>(
      "HAVEN_MAX_HEADER_BYTES", "16384",
      "Largest request line plus headers (431 above), in bytes."));
  table.push_back(integer_key<&settings::header_timeout_ms, 100, 600000>(
      "HAVEN_HEADER_TIMEOUT_MS", "10000",
      "Milliseconds a connection may idle or trickle headers before it is closed."));
  table.push_back(integer_key<&settings::max_connections, 1, 1000000>(
      "HAVEN_MAX_CONNECTIONS", "10000", "Open client connections; more are refused."));
  table.push_back(integer_key<&settings::max_connections_per_addr, 1, 1000000>(
      "HAVEN_MAX_CONNECTIONS_PER_ADDR", "256",
      "Open connections from one client address (IPv6 by /64); trusted proxies are exempt."));
  table.push_back(integer_key<&settings::token_checks_per_addr_s, 1, 1000000>(
      "HAVEN_TOKEN_CHECKS_PER_ADDR_S", "20",
      "Signature checks of never-seen access tokens per client address per second (burst: 5 s "
      "worth); beyond it 429. Forged tokens cost the edge ~105 us each."));
  table.push_back(integer_key<&settings::max_pipeline, 1, 1024>(
      "HAVEN_MAX_PIPELINE", "32",
      "Requests of one connection in flight at once; beyond that the node stops reading it."));
  table.push_back(integer_key<&settings::max_unsent_bytes, 4 * kib, 64 * mib>(
      "HAVEN_MAX_UNSENT_BYTES", "262144",
      "Unsent answer bytes of one connection above which the node stops reading it."));
  table.push_back(integer_key<&settings::write_timeout_ms, 100, 600000>(
      "HAVEN_WRITE_TIMEOUT_MS", "30000",
      "Milliseconds a client may leave answers unread (no write progress) before it is cut."));
  table.push_back(integer_key<&settings::max_buffered_request_bytes, 64 * kib, 16 * 1024 * mib>(
      "HAVEN_MAX_BUFFERED_REQUEST_BYTES", "67108864",
      "Request bytes the node holds across all connections; beyond it 503 overloaded."));
  table.push_back(integer_key<&settings::request_timeout_ms, 10, 600000>(
      "HAVEN_REQUEST_TIMEOUT_MS", "5000", "Deadline for answering one request, in milliseconds."));
  table.push_back(integer_key<&settings::shutdown_deadline_ms, 0, 600000>(
      "HAVEN_SHUTDOWN_DEADLINE_MS", "10000",
      "Milliseconds SIGTERM gives in-flight requests to drain."));
  table.push_back(integer_key<&settings::pg_pool_size, 1, 256>("HAVEN_PG_POOL_SIZE", "8",
                                                               "PostgreSQL connections per node."));
  table.push_back(integer_key<&settings::store_timeout_ms, 10, 60000>(
      "HAVEN_STORE_TIMEOUT_MS", "2000",
      "Deadline for one PostgreSQL or Redis call, in milliseconds."));
  add_data_keys(table);
  add_moderation_keys<&settings::moderation_input_block, &settings::moderation_input_review,
                      &settings::moderation_input_redact_pii>(table, "INPUT", "input");
  add_moderation_keys<&settings::moderation_output_block, &settings::moderation_output_review,
                      &settings::moderation_output_redact_pii>(table, "OUTPUT", "output");
  add_conversation_keys(table);
  return table;
}

} // namespace

const std::vector<declaration>& declarations() {
  static const std::vector<declaration> table = build_table();
  return table;
}

const declaration* find_declaration(std::string_view key) {
  for (const auto& d : declarations())
    if (d.key == key)
      return &d;
  return nullptr;
}

} // namespace haven::config
