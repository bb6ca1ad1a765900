#pragma once

#include <memory>
#include <string>

#include "actors/auth/signing_keys.hpp"

// The key folder, HAVEN_JWT_KEY_DIR (API.md section 10). Each key is one file
// `<kid>.key` (see parse_key_file for its content), mode 0600. Files whose
// names start with a dot (our temp files, Kubernetes' `..data`) and files not
// ending in `.key` are ignored; symlinks are followed (Kubernetes secrets).

namespace haven::auth {

struct key_ring_result {
  std::shared_ptr<const signing_keys> keys; // null on error
  std::string error;                        // one line, never key material
};

/// Reads every key of `dir`. An error when the folder is missing or holds no
/// key, or when any key file is unreadable, malformed, badly named, or open
/// to other users (group write or any "other" permission: chmod 600).
key_ring_result load_signing_keys(const std::string& dir);

/// Start-up: like load_signing_keys, except that with `generate_if_empty`
/// (HAVEN_ENV=dev only) a missing or key-less folder first gets one new key.
/// Nodes starting at once against one folder serialize on an flock()ed
/// `.keygen.lock` in it and re-check under the lock, so exactly one key is
/// generated and every node loads the same ring.
key_ring_result load_or_create_signing_keys(const std::string& dir, bool generate_if_empty);

struct keygen_result {
  std::string kid;   // the new key's id, empty on error
  std::string error; // one line
};

/// `haven keygen DIR`: adds one new key (creating DIR with mode 0700 when it
/// is missing). The kid is the UTC time plus 32 random bits,
/// `YYYY-MM-DD-HHMMSS-xxxxxxxx`, so newer keys sort last and sign. The file is
/// written to a temp file and link()ed into place: a reader never sees a half
/// written key and two concurrent runs both end up with a complete key each.
keygen_result generate_key(const std::string& dir);

} // namespace haven::auth
