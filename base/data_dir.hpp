#pragma once

#include <string>

// Where a family's data files are (crisis lexicons, moderation lexicons, the
// cultural knowledge base, chat fallback templates, sync entity kinds).

namespace haven {

/// `configured` (the family's HAVEN_*_DATA_DIR setting) when not empty, used
/// as is so a wrong folder fails loudly; else `<folder of exe_path>/<installed>`
/// when it holds `marker` (a file name, or empty: the folder itself suffices);
/// else `source_dir`, the family's data folder in the source tree.
std::string find_data_dir(const std::string& configured, const std::string& installed,
                          const std::string& marker, const std::string& source_dir,
                          const std::string& exe_path);

} // namespace haven
