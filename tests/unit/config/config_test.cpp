// Loader behaviour: defaults, one-line errors per key, env over file, file
// errors, masking of secrets, and the rules that depend on HAVEN_ENV.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>

#include <unistd.h>

#include "actors/moderation/categories.hpp"
#include "config/loader.hpp"

namespace haven::config {

// Names a parameter by its key instead of a byte dump in failure messages.
inline void PrintTo(const declaration& d, std::ostream* out) {
  *out << d.key;
}

namespace {

using env_map = std::map<std::string, std::string>;

// A valid HAVEN_DATA_KEY; tests assert it never leaks.
const std::string data_key = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";

load_result load(const env_map& env) {
  return load_settings([&env](const std::string& key) -> std::optional<std::string> {
    auto it = env.find(key);
    if (it == env.end())
      return std::nullopt;
    return it->second;
  });
}

// A config file in the test temp folder, named after the test (tests may run
// in parallel processes), removed when the test ends.
class temp_file {
 public:
  explicit temp_file(const std::string& text) {
    std::string name = testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_'); // parameterized names contain '/'
    path_ = testing::TempDir() + "haven_config_test_" + std::to_string(getpid()) + "_" + name;
    std::ofstream{path_} << text;
  }
  ~temp_file() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(config_loader, defaults_are_valid_and_typed) {
  auto result = load({});
  ASSERT_TRUE(result.value) << result.error;
  const auto& s = *result.value;
  EXPECT_EQ(s.http_host, "0.0.0.0");
  EXPECT_EQ(s.http_port, 8080);
  EXPECT_EQ(s.pg_url, "postgresql://postgres@127.0.0.1:55432/haven");
  EXPECT_EQ(s.redis_host, "127.0.0.1");
  EXPECT_EQ(s.redis_port, 56379);
  EXPECT_EQ(s.redis_db, 0u);
  EXPECT_EQ(s.nats_urls, std::vector<std::string>{"nats://127.0.0.1:54222"});
  EXPECT_EQ(s.nats_prefix, "haven");
  EXPECT_TRUE(std::regex_match(s.node_id, std::regex{"[A-Za-z0-9._-]{1,57}-[0-9a-f]{6}"}))
      << s.node_id;
  EXPECT_EQ(s.jwt_key_dir, ".haven/keys");
  EXPECT_TRUE(s.data_key.empty());
  EXPECT_TRUE(s.trusted_proxies.empty());
  EXPECT_EQ(s.env, environment::dev);
  EXPECT_EQ(s.log_fmt, log_format::text);
  EXPECT_EQ(s.log_level, "info");
  EXPECT_EQ(s.max_body_bytes, 65536u);
  EXPECT_EQ(s.max_upload_body_bytes, 4u << 20);
  EXPECT_EQ(s.argon_memory_kib, 19456u); // OWASP's minimum, 19 MiB
  EXPECT_EQ(s.argon_iterations, 2u);
  EXPECT_EQ(s.hash_workers, 0u);
  EXPECT_TRUE(s.moderation_input_block.empty());
  EXPECT_TRUE(s.moderation_input_review.empty());
  EXPECT_TRUE(s.moderation_output_block.empty());
  EXPECT_TRUE(s.moderation_output_review.empty());
  EXPECT_TRUE(s.moderation_input_redact_pii);
  EXPECT_TRUE(s.moderation_output_redact_pii);
}

TEST(config_loader, argon_cost_and_hash_workers_at_their_bounds) {
  auto low = load({{"HAVEN_ARGON_MEMORY_KIB", "8"},
                   {"HAVEN_ARGON_ITERATIONS", "1"},
                   {"HAVEN_HASH_WORKERS", "64"}});
  ASSERT_TRUE(low.value) << low.error;
  EXPECT_EQ(low.value->argon_memory_kib, 8u);
  EXPECT_EQ(low.value->argon_iterations, 1u);
  EXPECT_EQ(low.value->hash_workers, 64u);
  auto high = load({{"HAVEN_ARGON_MEMORY_KIB", "4194304"}, {"HAVEN_ARGON_ITERATIONS", "10"}});
  ASSERT_TRUE(high.value) << high.error;
  EXPECT_EQ(high.value->argon_memory_kib, 4194304u); // 4 GiB
  EXPECT_EQ(high.value->argon_iterations, 10u);
  for (const env_map& bad :
       {env_map{{"HAVEN_ARGON_MEMORY_KIB", "4194305"}},
        env_map{{"HAVEN_ARGON_MEMORY_KIB", "19 MiB"}}, env_map{{"HAVEN_ARGON_ITERATIONS", "0"}},
        env_map{{"HAVEN_HASH_WORKERS", "-1"}}}) {
    auto result = load(bad);
    ASSERT_FALSE(result.value) << bad.begin()->first;
    EXPECT_EQ(result.error.rfind(bad.begin()->first + ": expected an integer in ", 0), 0u)
        << result.error;
  }
}

TEST(config_loader, moderation_overrides_are_typed_and_shown) {
  auto result = load({{"HAVEN_MODERATION_INPUT_BLOCK", " harassment = 0.1 , hate=never"},
                      {"HAVEN_MODERATION_OUTPUT_REVIEW", "pii=1,sexual_minors=0.05"},
                      {"HAVEN_MODERATION_INPUT_REDACT_PII", "0"}});
  ASSERT_TRUE(result.value) << result.error;
  const auto& s = *result.value;
  EXPECT_EQ(s.moderation_input_block,
            (std::vector<threshold_override>{{"harassment", 0.1f}, {"hate", threshold_never}}));
  EXPECT_TRUE(s.moderation_input_review.empty());
  EXPECT_TRUE(s.moderation_output_block.empty());
  EXPECT_EQ(s.moderation_output_review,
            (std::vector<threshold_override>{{"pii", 1.0f}, {"sexual_minors", 0.05f}}));
  EXPECT_FALSE(s.moderation_input_redact_pii);
  EXPECT_TRUE(s.moderation_output_redact_pii);
  // `haven config check` prints the lists in a form the loader reads back.
  auto text = describe_effective(s);
  EXPECT_NE(text.find("HAVEN_MODERATION_INPUT_BLOCK=harassment=0.1,hate=never\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("HAVEN_MODERATION_INPUT_REVIEW=\n"), std::string::npos) << text;
  EXPECT_NE(text.find("HAVEN_MODERATION_OUTPUT_REVIEW=pii=1,sexual_minors=0.05\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("HAVEN_MODERATION_INPUT_REDACT_PII=0\n"), std::string::npos) << text;
  auto again = load({{"HAVEN_MODERATION_INPUT_BLOCK", "harassment=0.1,hate=never"},
                     {"HAVEN_MODERATION_OUTPUT_REVIEW", "pii=1,sexual_minors=0.05"}});
  ASSERT_TRUE(again.value) << again.error;
  EXPECT_EQ(again.value->moderation_input_block, s.moderation_input_block);
  EXPECT_EQ(again.value->moderation_output_review, s.moderation_output_review);
}

// app/safety_wiring.cpp maps the names the loader accepts onto the policy's
// categories: the two lists must be the same.
TEST(config_loader, moderation_category_names_match_the_policy) {
  ASSERT_EQ(moderation_categories.size(), moderation::all_categories.size());
  for (size_t i = 0; i < moderation_categories.size(); ++i)
    EXPECT_EQ(moderation_categories[i], moderation::to_string(moderation::all_categories[i]));
}

TEST(config_loader, bad_moderation_overrides_name_the_key) {
  const std::pair<const char*, const char*> cases[] = {
      {"HAVEN_MODERATION_INPUT_BLOCK", "insults=0.5"},               // unknown category
      {"HAVEN_MODERATION_INPUT_BLOCK", "Harassment=0.5"},            // names are exact
      {"HAVEN_MODERATION_INPUT_REVIEW", "hate=0.3,hate=0.4"},        // duplicate
      {"HAVEN_MODERATION_OUTPUT_BLOCK", "hate=abc"},                 // bad number
      {"HAVEN_MODERATION_OUTPUT_BLOCK", "hate=0"},                   // not > 0
      {"HAVEN_MODERATION_OUTPUT_BLOCK", "hate=1e-1"},                // no exponent
      {"HAVEN_MODERATION_OUTPUT_REVIEW", "hate"},                    // no '='
      {"HAVEN_MODERATION_OUTPUT_REVIEW", "hate=0.3,"},               // empty item
      {"HAVEN_MODERATION_OUTPUT_REVIEW", "hate=0.3;harassment=0.5"}, // wrong separator
  };
  for (auto [key, value] : cases) {
    auto result = load({{key, value}});
    ASSERT_FALSE(result.value) << key << "=" << value;
    EXPECT_EQ(
        result.error.rfind(std::string{key} + ": expected comma-separated category=threshold", 0),
        0u)
        << result.error;
    EXPECT_NE(result.error.find(value), std::string::npos) << result.error;
  }
  // Set but empty: the defaults.
  auto empty = load({{"HAVEN_MODERATION_INPUT_BLOCK", ""}, {"HAVEN_MODERATION_OUTPUT_BLOCK", " "}});
  ASSERT_TRUE(empty.value) << empty.error;
  EXPECT_TRUE(empty.value->moderation_input_block.empty());
  EXPECT_TRUE(empty.value->moderation_output_block.empty());
}

// settings{} is what tests elsewhere construct directly: its initializers must
// agree with the declared defaults wherever the struct has one.
TEST(config_loader, struct_initializers_match_declared_defaults) {
  const std::vector<std::string> empty_in_struct = {"HAVEN_PG_URL", "HAVEN_REDIS_URL",
                                                    "HAVEN_NATS_URL", "HAVEN_JWT_KEY_DIR"};
  for (const auto& d : declarations()) {
    if (d.computed_default || std::count(empty_in_struct.begin(), empty_in_struct.end(), d.key))
      continue;
    EXPECT_EQ(d.render(settings{}), d.default_text) << d.key;
  }
}

// config/README.md is a committed table; it must not fall behind the code.
TEST(config_loader, readme_lists_every_key) {
  std::string source = __FILE__;
  auto root = source.substr(0, source.rfind("tests/unit/config/"));
  std::ifstream in{root + "config/README.md"};
  ASSERT_TRUE(in) << root;
  std::string readme{std::istreambuf_iterator<char>{in}, {}};
  for (const auto& d : declarations())
    EXPECT_NE(readme.find("| `" + d.key + "` |"), std::string::npos) << d.key;
}

TEST(config_loader, unknown_haven_environment_variables_are_ignored) {
  auto result = load({{"HAVEN_SOMETHING_ELSE", "x"}, {"HAVEN_RATE_LIMIT_FREE", "7"}});
  ASSERT_TRUE(result.value) << result.error;
  EXPECT_EQ(result.value->rate_limit_free, 7u);
}

// One invalid value per declared key; adding a key without one fails here.
const std::map<std::string, std::string> bad_values = {
    {"HAVEN_ENV", "production"},
    {"HAVEN_HTTP_ADDR", "example.com:80"},
    {"HAVEN_PG_URL", "host localhost"},
    {"HAVEN_REDIS_URL", "redis://127.0.0.1:99999/0"},
    {"HAVEN_NATS_URL", "nats://a:4222,,nats://b:4222"},
    {"HAVEN_NATS_PREFIX", "has.dot"},
    {"HAVEN_NODE_ID", "node id"},
    {"HAVEN_JWT_KEY_DIR", ""},
    {"HAVEN_CRISIS_DATA_DIR", "data\x01"
                              "dir"},
    {"HAVEN_CRISIS_MODEL", "model\x02"
                           "file"},
    {"HAVEN_MODERATION_DATA_DIR", "data\x7f"},
    {"HAVEN_CULTURAL_DATA_DIR", "data\x1b"
                                "dir"},
    {"HAVEN_SYNC_DATA_DIR", "data\x1b"
                            "dir"},
    {"HAVEN_DATA_KEY", "c2hvcnQ="},
    {"HAVEN_ACCESS_TTL_S", "59"},
    {"HAVEN_REFRESH_TTL_S", "31536001"},
    {"HAVEN_SESSION_MAX_AGE_S", "299"},
    {"HAVEN_RATE_LIMIT_FREE", "abc"},
    {"HAVEN_RATE_LIMIT_PREMIUM", "0"},
    {"HAVEN_RATE_LIMIT_ADMIN", "-5"},
    {"HAVEN_RATE_LIMIT_ANON", "+5"},
    {"HAVEN_RATE_LIMIT_WINDOW_S", "86401"},
    {"HAVEN_RATE_LIMIT_ENABLED", "2"},
    {"HAVEN_AUTH_ADDR_LIMIT", " 5"},
    {"HAVEN_LOGIN_MAX_FAILURES_ACCOUNT", "1e3"},
    {"HAVEN_LOGIN_MAX_FAILURES_ADDR", "18446744073709551616"},
    {"HAVEN_ARGON_MEMORY_KIB", "7"},
    {"HAVEN_ARGON_ITERATIONS", "11"},
    {"HAVEN_HASH_WORKERS", "65"},
    {"HAVEN_TRUSTED_PROXIES", "10.0.0.0/33"},
    {"HAVEN_LOG_LEVEL", "verbose"},
    {"HAVEN_LOG_FORMAT", "xml"},
    {"HAVEN_WORKERS", "257"},
    {"HAVEN_MAX_BODY_BYTES", "1023"},
    {"HAVEN_MAX_UPLOAD_BODY_BYTES", "268435457"},
    {"HAVEN_MAX_HEADER_BYTES", "0x4000"},
    {"HAVEN_HEADER_TIMEOUT_MS", "99"},
    {"HAVEN_MAX_CONNECTIONS", "0"},
    {"HAVEN_MAX_CONNECTIONS_PER_ADDR", "0"},
    {"HAVEN_TOKEN_CHECKS_PER_ADDR_S", "0"},
    {"HAVEN_MAX_PIPELINE", "1025"},
    {"HAVEN_MAX_UNSENT_BYTES", "4095"},
    {"HAVEN_WRITE_TIMEOUT_MS", "99"},
    {"HAVEN_MAX_BUFFERED_REQUEST_BYTES", "65535"},
    {"HAVEN_REQUEST_TIMEOUT_MS", "9"},
    {"HAVEN_SHUTDOWN_DEADLINE_MS", "600001"},
    {"HAVEN_PG_POOL_SIZE", "257"},
    {"HAVEN_STORE_TIMEOUT_MS", "60001"},
    {"HAVEN_MODERATION_INPUT_BLOCK", "harrasment=0.1"},
    {"HAVEN_MODERATION_INPUT_REVIEW", "hate=0"},
    {"HAVEN_MODERATION_OUTPUT_BLOCK", "hate=0.3,violence_threat=0.5,hate=0.4"},
    {"HAVEN_MODERATION_OUTPUT_REVIEW", "pii=-1"},
    {"HAVEN_MODERATION_INPUT_REDACT_PII", "yes"},
    {"HAVEN_MODERATION_OUTPUT_REDACT_PII", "2"},
    {"HAVEN_SESSION_IDLE_S", "0"},
    {"HAVEN_SESSIONS_DATA_DIR", "data\x01dir"},
    {"HAVEN_DATA_KEYS_OLD", "c2hvcnQ="},
    {"HAVEN_LLM_URL", "ftp://example.org/v1"},
    {"HAVEN_LLM_MODEL", "has space"},
    {"HAVEN_LLM_API_KEY", "sk-a\x01b"},
    {"HAVEN_LLM_TIMEOUT_MS", "99"},
    {"HAVEN_LLM_MAX_CONCURRENCY", "1025"},
};

class every_key : public testing::TestWithParam<declaration> {};

TEST_P(every_key, bad_value_from_env_gives_one_line_naming_the_key) {
  const auto& d = GetParam();
  auto bad = bad_values.find(d.key);
  ASSERT_NE(bad, bad_values.end()) << "add a bad value for " << d.key;
  auto result = load({{d.key, bad->second}});
  ASSERT_FALSE(result.value);
  const std::string prefix = d.key + ": expected " + d.expects + ", got ";
  // The value is shown with control characters escaped (one line, no terminal
  // escapes), so only a printable value is compared as given.
  bool printable = std::none_of(bad->second.begin(), bad->second.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (d.secret())
    EXPECT_EQ(result.error, prefix + "an invalid value");
  else if (printable)
    EXPECT_EQ(result.error, prefix + "\"" + bad->second + "\"");
  else
    EXPECT_EQ(result.error.rfind(prefix, 0), 0u) << result.error;
  EXPECT_EQ(result.error.find_first_of(std::string{"\n\r\x1b", 3}), std::string::npos);
}

TEST_P(every_key, bad_value_from_file_also_names_the_line) {
  const auto& d = GetParam();
  // Quoted: an unquoted file value is trimmed, which would repair " 5".
  temp_file file{"# comment\n" + d.key + "=\"" + bad_values.at(d.key) + "\"\n"};
  auto result = load({{"HAVEN_CONFIG_FILE", file.path()}});
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.error.rfind(d.key + ": expected " + d.expects, 0), 0u) << result.error;
  EXPECT_NE(result.error.find("(" + file.path() + ":2)"), std::string::npos) << result.error;
  EXPECT_EQ(result.error.find('\n'), std::string::npos);
}

TEST_P(every_key, is_documented) {
  const auto& d = GetParam();
  EXPECT_EQ(d.key.rfind("HAVEN_", 0), 0u);
  EXPECT_FALSE(d.description.empty()) << d.key;
  EXPECT_FALSE(d.expects.empty()) << d.key;
  EXPECT_TRUE(d.assign && d.render) << d.key;
}

INSTANTIATE_TEST_SUITE_P(config, every_key, testing::ValuesIn(declarations()),
                         [](const testing::TestParamInfo<declaration>& info) {
                           return info.param.key;
                         });

TEST(config_loader, environment_wins_over_file) {
  temp_file file{"\n  # comment\r\nHAVEN_RATE_LIMIT_FREE = \"100\"\r\n"
                 "HAVEN_RATE_LIMIT_PREMIUM='700'\nHAVEN_LOG_LEVEL=debug\n"};
  auto result = load({{"HAVEN_CONFIG_FILE", file.path()}, {"HAVEN_RATE_LIMIT_FREE", "200"}});
  ASSERT_TRUE(result.value) << result.error;
  EXPECT_EQ(result.value->rate_limit_free, 200u);
  EXPECT_EQ(result.value->rate_limit_premium, 700u);
  EXPECT_EQ(result.value->log_level, "debug");
}

TEST(config_loader, set_but_empty_environment_value_is_a_value) {
  temp_file file{"HAVEN_TRUSTED_PROXIES=10.0.0.1\n"};
  auto result = load({{"HAVEN_CONFIG_FILE", file.path()}, {"HAVEN_TRUSTED_PROXIES", ""}});
  ASSERT_TRUE(result.value) << result.error;
  EXPECT_TRUE(result.value->trusted_proxies.empty());
  EXPECT_FALSE(load({{"HAVEN_WORKERS", ""}}).value); // not "use the default"
}

TEST(config_loader, file_errors_name_the_line) {
  auto error_for = [](const std::string& text) {
    temp_file file{text};
    auto result = load({{"HAVEN_CONFIG_FILE", file.path()}});
    EXPECT_FALSE(result.value);
    auto prefix = file.path() + ":";
    return result.error.substr(0, prefix.size()) == prefix ? result.error.substr(prefix.size())
                                                           : result.error;
  };
  EXPECT_EQ(error_for("HAVEN_ENV=dev\n\nHAVEN_NOPE=1\n"), "3: unknown key \"HAVEN_NOPE\"");
  EXPECT_EQ(error_for("PATH=/bin\n"), "1: unknown key \"PATH\"");
  EXPECT_EQ(error_for("HAVEN_WORKERS=1\nHAVEN_WORKERS=2\n"), "2: HAVEN_WORKERS is set twice");
  EXPECT_EQ(error_for("#x\nZGVmZ2hpamtsbW5vcHFyc3R1\n"), "2: expected KEY=VALUE");
  auto missing = load({{"HAVEN_CONFIG_FILE", testing::TempDir() + "no/such/file.env"}});
  ASSERT_FALSE(missing.value);
  EXPECT_EQ(missing.error.rfind("HAVEN_CONFIG_FILE: cannot open", 0), 0u) << missing.error;
  auto folder = load({{"HAVEN_CONFIG_FILE", testing::TempDir()}});
  ASSERT_FALSE(folder.value);
  EXPECT_EQ(folder.error.rfind("HAVEN_CONFIG_FILE: cannot read", 0), 0u) << folder.error;
}

TEST(config_loader, prod_requires_data_key) {
  auto missing = load({{"HAVEN_ENV", "prod"}});
  ASSERT_FALSE(missing.value);
  EXPECT_EQ(missing.error, "HAVEN_DATA_KEY: required when HAVEN_ENV=prod, expected standard "
                           "base64 of exactly 32 bytes");
  EXPECT_FALSE(load({{"HAVEN_ENV", "prod"}, {"HAVEN_DATA_KEY", ""}}).value);
  auto given = load({{"HAVEN_ENV", "prod"}, {"HAVEN_DATA_KEY", data_key}});
  ASSERT_TRUE(given.value) << given.error;
  EXPECT_EQ(given.value->data_key, data_key);
  EXPECT_TRUE(load({{"HAVEN_ENV", "dev"}, {"HAVEN_DATA_KEY", ""}}).value);
}

TEST(config_loader, log_format_default_depends_on_env) {
  auto with_data_key = [](env_map env) {
    env["HAVEN_DATA_KEY"] = data_key;
    return load(env).value.value().log_fmt;
  };
  EXPECT_EQ(with_data_key({}), log_format::text);
  EXPECT_EQ(with_data_key({{"HAVEN_ENV", "prod"}}), log_format::json);
  EXPECT_EQ(with_data_key({{"HAVEN_ENV", "prod"}, {"HAVEN_LOG_FORMAT", "text"}}), log_format::text);
  EXPECT_EQ(with_data_key({{"HAVEN_LOG_FORMAT", "json"}}), log_format::json);
  temp_file file{"HAVEN_ENV=prod\n"}; // env from the file drives the default too
  EXPECT_EQ(with_data_key({{"HAVEN_CONFIG_FILE", file.path()}}), log_format::json);
}

TEST(config_masking, describe_effective_lists_every_key_and_hides_secrets) {
  auto result = load({{"HAVEN_DATA_KEY", data_key},
                      {"HAVEN_PG_URL", "postgresql://app:pg-secret@db:5432/haven"},
                      {"HAVEN_REDIS_URL", "redis://:redis-secret@cache:6379/2"}});
  ASSERT_TRUE(result.value) << result.error;
  EXPECT_EQ(result.value->redis_password, "redis-secret");
  auto text = describe_effective(*result.value);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'),
            static_cast<std::ptrdiff_t>(declarations().size()));
  EXPECT_EQ(text.rfind("HAVEN_ENV=dev\nHAVEN_HTTP_ADDR=0.0.0.0:8080\n", 0), 0u);
  for (auto secret : {data_key, std::string{"pg-secret"}, std::string{"redis-secret"}})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  EXPECT_NE(text.find("HAVEN_DATA_KEY=********\n"), std::string::npos);
  EXPECT_NE(text.find("HAVEN_PG_URL=postgresql://app:********@db:5432/haven\n"), std::string::npos);
  EXPECT_NE(text.find("HAVEN_REDIS_URL=redis://:********@cache:6379/2\n"), std::string::npos);
  EXPECT_NE(describe_effective(settings{}).find("HAVEN_DATA_KEY=(unset)\n"), std::string::npos);
}

TEST(config_masking, conninfo_password_is_masked_in_describe) {
  auto result = load({{"HAVEN_PG_URL", "host=db user=app password='pg secret' dbname=haven"}});
  ASSERT_TRUE(result.value) << result.error;
  EXPECT_NE(describe_effective(*result.value)
                .find("HAVEN_PG_URL=host=db user=app password=******** dbname=haven\n"),
            std::string::npos);
}

TEST(config_masking, secrets_never_appear_in_error_lines) {
  const env_map cases[] = {
      {{"HAVEN_DATA_KEY", "not-base64-secret"}},
      {{"HAVEN_ENV", "prod"}, {"HAVEN_DATA_KEY", "not-base64-secret"}},
      {{"HAVEN_REDIS_URL", "redis://:not-base64-secret@cache:99999/0"}},
      {{"HAVEN_REDIS_URL", "redis://:not-base64/secret@cache/0"}},
      {{"HAVEN_PG_URL", "postgresql://u:not-base64-secret@db/x y"}},
      {{"HAVEN_PG_URL", "host=db password=not-base64-secret 'unterminated"}},
  };
  for (const auto& env : cases) {
    auto result = load(env);
    ASSERT_FALSE(result.value);
    EXPECT_EQ(result.error.find("secret"), std::string::npos) << result.error;
  }
}

} // namespace
} // namespace haven::config
