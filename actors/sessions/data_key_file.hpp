#pragma once

#include <string>

// The dev data key (API.md section 10: HAVEN_DATA_KEY is "generated in dev"):
// when HAVEN_ENV=dev and HAVEN_DATA_KEY is empty, the key lives in
// `<HAVEN_JWT_KEY_DIR>/data-key.b64` (mode 0600), so nodes that share the key
// folder share the data key and can open each other's rows. The name does not
// end in `.key`, so the signing-key loader ignores it. In prod the config
// loader already refuses an empty HAVEN_DATA_KEY: this file is never used.

namespace haven::sessions {

inline constexpr const char* dev_data_key_file = "data-key.b64";

struct dev_key_result {
  std::string key_base64; // empty on error
  std::string error;      // one line, never key material
};

/// Reads `<dir>/data-key.b64`, creating it first (folder 0700, file 0600,
/// written to a temp file and link()ed into place, so nodes starting at once
/// all end up with the one key that won) when it is missing.
dev_key_result load_or_create_dev_data_key(const std::string& dir);

} // namespace haven::sessions
