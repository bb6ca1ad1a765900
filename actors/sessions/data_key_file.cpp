#include "actors/sessions/data_key_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actors/sessions/data_key.hpp"

namespace haven::sessions {

namespace {

namespace fs = std::filesystem;

bool read_key_file(const std::string& path, std::string& out, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || (st.st_mode & 077) != 0 || st.st_uid != ::geteuid()) {
    ::close(fd);
    error = path + ": must be the node user's and mode 0600";
    return false;
  }
  char buf[128];
  ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof buf) {
    error = path + ": unreadable or too long";
    return false;
  }
  out.assign(buf, static_cast<size_t>(n));
  sodium_memzero(buf, sizeof buf);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' '))
    out.pop_back();
  return true;
}

} // namespace

dev_key_result load_or_create_dev_data_key(const std::string& dir) {
  dev_key_result res;
  std::error_code ec;
  fs::create_directories(dir, ec);
  ::chmod(dir.c_str(), 0700); // best effort: the signing-key loader checks the folder too
  const std::string path = dir + "/" + dev_data_key_file;
  std::string key;
  if (!read_key_file(path, key, res.error)) {
    if (!res.error.empty())
      return res;
    // Missing: write a new one beside it and link it into place; a node that
    // lost the race reads the winner's.
    std::string tmp = dir + "/.data-key-" + std::to_string(::getpid()) + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
      res.error = "cannot write " + tmp + ": " + std::strerror(errno);
      return res;
    }
    auto fresh = new_data_key_base64() + "\n";
    bool ok = ::write(fd, fresh.data(), fresh.size()) == static_cast<ssize_t>(fresh.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    sodium_memzero(fresh.data(), fresh.size());
    if (ok && ::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST)
      ok = false;
    ::unlink(tmp.c_str());
    if (!ok) {
      res.error = "cannot create " + path + ": " + std::strerror(errno);
      return res;
    }
    if (!read_key_file(path, key, res.error)) {
      if (res.error.empty())
        res.error = "cannot read " + path;
      return res;
    }
  }
  if (!parse_key_list(key) || key.empty() || key.find(',') != std::string::npos) {
    res.error = path + ": not standard base64 of 32 bytes";
    return res;
  }
  res.key_base64 = std::move(key);
  return res;
}

} // namespace haven::sessions
