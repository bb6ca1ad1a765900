#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace haven::config {

enum class environment : uint8_t { dev, prod };
enum class log_format : uint8_t { json, text };

/// The moderation categories of API.md section 4: the names a
/// HAVEN_MODERATION_*_BLOCK / _REVIEW list may use (a unit test checks they
/// match actors/moderation/categories.hpp).
inline constexpr std::array<std::string_view, 6> moderation_categories{
    "self_harm_instructions", "violence_threat", "harassment", "hate", "sexual_minors", "pii"};

/// A threshold no score reaches (scores are at most 1): the rule is off. The
/// same value as moderation::never (checked in app/safety_wiring.cpp).
inline constexpr float threshold_never = 2.0f;

/// One `category=threshold` item of a HAVEN_MODERATION_*_BLOCK / _REVIEW list.
struct threshold_override {
  std::string category;              // one of moderation_categories
  float threshold = threshold_never; // in (0, 1], or threshold_never (`never`, or a number above 1)

  friend bool operator==(const threshold_override& a, const threshold_override& b) {
    return a.category == b.category && a.threshold == b.threshold;
  }
};

/// Every setting of the node, typed. Built once by `load_settings` (loader.hpp)
/// and shared read-only as `std::shared_ptr<const settings>`. Keys, defaults,
/// bounds and descriptions are declared once in declarations.cpp.
struct settings {
  // HAVEN_HTTP_ADDR = host:port (port 0 picks a free port). An IPv6 host is
  // stored without its brackets, ready for getaddrinfo.
  std::string http_host = "0.0.0.0";
  uint16_t http_port = 8080;

  std::string pg_url;    // HAVEN_PG_URL (libpq connection string or URI)
  std::string redis_url; // HAVEN_REDIS_URL redis://host:port/db
  std::string redis_host = "127.0.0.1";
  uint16_t redis_port = 6379;
  uint32_t redis_db = 0;
  std::string redis_user;             // from HAVEN_REDIS_URL user info (may be empty)
  std::string redis_password;         // from HAVEN_REDIS_URL user info (secret, may be empty)
  std::vector<std::string> nats_urls; // HAVEN_NATS_URL, comma-separated
  std::string nats_prefix = "haven";  // HAVEN_NATS_PREFIX
  std::string node_id;                // HAVEN_NODE_ID (default: hostname-<random>)

  std::string jwt_key_dir;              // HAVEN_JWT_KEY_DIR
  std::string data_key;                 // HAVEN_DATA_KEY, base64 of 32 bytes (secret)
  uint32_t access_ttl_s = 900;          // HAVEN_ACCESS_TTL_S
  uint32_t refresh_ttl_s = 604800;      // HAVEN_REFRESH_TTL_S
  uint32_t session_max_age_s = 2592000; // HAVEN_SESSION_MAX_AGE_S

  uint32_t rate_limit_free = 60;            // HAVEN_RATE_LIMIT_FREE
  uint32_t rate_limit_premium = 600;        // HAVEN_RATE_LIMIT_PREMIUM
  uint32_t rate_limit_admin = 6000;         // HAVEN_RATE_LIMIT_ADMIN
  uint32_t rate_limit_anon = 60;            // HAVEN_RATE_LIMIT_ANON
  uint32_t rate_limit_window_s = 60;        // HAVEN_RATE_LIMIT_WINDOW_S
  bool rate_limit_enabled = true;           // HAVEN_RATE_LIMIT_ENABLED (0 only for benchmarks)
  uint32_t auth_addr_limit = 50;            // HAVEN_AUTH_ADDR_LIMIT
  uint32_t login_max_failures_account = 5;  // HAVEN_LOGIN_MAX_FAILURES_ACCOUNT
  uint32_t login_max_failures_addr = 20;    // HAVEN_LOGIN_MAX_FAILURES_ADDR
  std::vector<std::string> trusted_proxies; // HAVEN_TRUSTED_PROXIES (IPs or CIDRs)

  // Argon2id cost of new password hashes (actors/auth/passwords.hpp) and the
  // hashing pool; a login re-hashes a stored hash made with other costs.
  uint32_t argon_memory_kib = 19456; // HAVEN_ARGON_MEMORY_KIB (19 MiB)
  uint32_t argon_iterations = 2;     // HAVEN_ARGON_ITERATIONS
  uint32_t hash_workers = 0;         // HAVEN_HASH_WORKERS (0 = half the cores, at least 1)

  std::string log_level = "info";        // HAVEN_LOG_LEVEL trace|debug|info|warn|error|off
  log_format log_fmt = log_format::text; // HAVEN_LOG_FORMAT (default json in prod, text in dev)
  uint32_t workers = 0;                  // HAVEN_WORKERS scheduler threads (0 = one per core)
  environment env = environment::dev;    // HAVEN_ENV

  // API.md section 1 limits.
  size_t max_body_bytes = 64 * 1024;       // HAVEN_MAX_BODY_BYTES
  size_t max_upload_body_bytes = 4 << 20;  // HAVEN_MAX_UPLOAD_BODY_BYTES
  size_t max_header_bytes = 16 * 1024;     // HAVEN_MAX_HEADER_BYTES
  uint32_t header_timeout_ms = 10000;      // HAVEN_HEADER_TIMEOUT_MS
  uint32_t max_connections = 10000;        // HAVEN_MAX_CONNECTIONS
  uint32_t max_connections_per_addr = 256; // HAVEN_MAX_CONNECTIONS_PER_ADDR
  uint32_t token_checks_per_addr_s = 20;   // HAVEN_TOKEN_CHECKS_PER_ADDR_S
  uint32_t max_pipeline = 32;              // HAVEN_MAX_PIPELINE (requests in flight per connection)
  size_t max_unsent_bytes =
      256 * 1024;                    // HAVEN_MAX_UNSENT_BYTES (per connection, then reading pauses)
  uint32_t write_timeout_ms = 30000; // HAVEN_WRITE_TIMEOUT_MS
  size_t max_buffered_request_bytes = 64u << 20; // HAVEN_MAX_BUFFERED_REQUEST_BYTES (node-wide)
  uint32_t request_timeout_ms = 5000;            // HAVEN_REQUEST_TIMEOUT_MS
  uint32_t shutdown_deadline_ms = 10000;         // HAVEN_SHUTDOWN_DEADLINE_MS

  // Stores.
  uint32_t pg_pool_size = 8;        // HAVEN_PG_POOL_SIZE
  uint32_t store_timeout_ms = 2000; // HAVEN_STORE_TIMEOUT_MS

  // Data the families load at start; empty = built-in (next to the binary,
  // else the source tree's).
  std::string crisis_data_dir;     // HAVEN_CRISIS_DATA_DIR
  std::string crisis_model;        // HAVEN_CRISIS_MODEL (a file, "off", or empty)
  std::string moderation_data_dir; // HAVEN_MODERATION_DATA_DIR
  std::string cultural_data_dir;   // HAVEN_CULTURAL_DATA_DIR
  std::string sync_data_dir;       // HAVEN_SYNC_DATA_DIR

  // Moderation policy (actors/moderation/policy.hpp): thresholds applied on
  // top of the defaults, per direction; only the listed categories change.
  std::vector<threshold_override> moderation_input_block;   // HAVEN_MODERATION_INPUT_BLOCK
  std::vector<threshold_override> moderation_input_review;  // HAVEN_MODERATION_INPUT_REVIEW
  std::vector<threshold_override> moderation_output_block;  // HAVEN_MODERATION_OUTPUT_BLOCK
  std::vector<threshold_override> moderation_output_review; // HAVEN_MODERATION_OUTPUT_REVIEW
  bool moderation_input_redact_pii = true;                  // HAVEN_MODERATION_INPUT_REDACT_PII
  bool moderation_output_redact_pii = true;                 // HAVEN_MODERATION_OUTPUT_REDACT_PII

  // Conversations (docs/conversations.md).
  uint32_t session_idle_s = 300;          // HAVEN_SESSION_IDLE_S
  std::string sessions_data_dir;          // HAVEN_SESSIONS_DATA_DIR (empty = built-in)
  std::vector<std::string> data_keys_old; // HAVEN_DATA_KEYS_OLD (secret)
  std::string llm_url;                    // HAVEN_LLM_URL (empty = fallback only)
  std::string llm_model;                  // HAVEN_LLM_MODEL
  std::string llm_api_key;                // HAVEN_LLM_API_KEY (secret)
  uint32_t llm_timeout_ms = 8000;         // HAVEN_LLM_TIMEOUT_MS
  uint32_t llm_max_concurrency = 8;       // HAVEN_LLM_MAX_CONCURRENCY
};

} // namespace haven::config
