#pragma once

// Hides passwords inside connection strings so the effective configuration and
// error lines can be printed and logged safely.

#include <string>
#include <string_view>

namespace haven::config {

/// What replaces a secret when settings are printed.
inline constexpr std::string_view masked_text = "********";

/// `scheme://user:pw@host/...?password=pw` -> the same with each pw masked.
std::string mask_url_password(std::string_view url);

/// libpq `... password=pw ...` (quoted or not) -> `password=********`. When the
/// text does not even tokenize, everything after `password` is masked.
std::string mask_conninfo_password(std::string_view conninfo);

/// Picks the URL or key/value form by the presence of "://".
std::string mask_connection_password(std::string_view text);

} // namespace haven::config
