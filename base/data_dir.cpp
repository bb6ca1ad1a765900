#include "base/data_dir.hpp"

#include <filesystem>

namespace haven {

std::string find_data_dir(const std::string& configured, const std::string& installed,
                          const std::string& marker, const std::string& source_dir,
                          const std::string& exe_path) {
  namespace fs = std::filesystem;
  if (!configured.empty())
    return configured;
  std::error_code ec;
  fs::path exe = fs::canonical(exe_path, ec);
  if (!ec) {
    auto next_to = exe.parent_path() / installed;
    if (fs::exists(marker.empty() ? next_to : next_to / marker, ec))
      return next_to.string();
  }
  return source_dir;
}

} // namespace haven
