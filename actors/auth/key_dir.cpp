#include "actors/auth/key_dir.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actors/auth/sodium_init.hpp"

namespace fs = std::filesystem;

namespace haven::auth {

namespace {

constexpr size_t max_key_file_bytes = 4096;
constexpr std::string_view key_suffix = ".key";

std::string sys_error(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// Reads at most max_key_file_bytes; the caller wipes the buffer.
bool read_small_file(const std::string& path, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  out.assign(max_key_file_bytes + 1, '\0');
  size_t got = 0;
  ssize_t n = 0;
  while (got < out.size() && (n = ::read(fd, out.data() + got, out.size() - got)) > 0)
    got += static_cast<size_t>(n);
  ::close(fd);
  out.resize(got);
  return n >= 0 && got <= max_key_file_bytes;
}

std::string random_hex(size_t bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    auto b = static_cast<unsigned char>(randombytes_uniform(256));
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

std::string new_kid() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d-%H%M%S-", &utc);
  return stamp + random_hex(4);
}

bool ensure_dir(const std::string& dir, std::string& error) {
  std::error_code ec;
  fs::path p{dir};
  if (p.has_parent_path() && !p.parent_path().empty())
    fs::create_directories(p.parent_path(), ec); // a failure shows up in mkdir below
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    error = sys_error("cannot create key folder " + dir);
    return false;
  }
  return true;
}

// Writes `text` to a fresh temp file in `dir` and links it to `final_path`
// without replacing an existing file. Returns 0, or the errno of the failure.
int write_exclusive(const std::string& dir, const std::string& final_path, std::string& text) {
  std::string tmp = dir + "/.keygen-" + random_hex(8) + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return errno;
  bool ok = ::fchmod(fd, 0600) == 0 // the umask may have cleared bits, never added them
            && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  int err = ok ? 0 : errno;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (ok && ::link(tmp.c_str(), final_path.c_str()) != 0) {
    err = errno;
    // Filesystems without hard links: rename (a random kid makes overwriting moot).
    if ((err == EPERM || err == EOPNOTSUPP) && ::rename(tmp.c_str(), final_path.c_str()) == 0)
      err = 0;
  }
  ::unlink(tmp.c_str());
  return err;
}

// True when `dir` holds any `*.key` entry (valid or not).
bool has_key_files(const std::string& dir) {
  std::error_code ec;
  for (fs::directory_iterator it{dir, ec}, end; !ec && it != end; it.increment(ec)) {
    auto name = it->path().filename().string();
    if (name.front() != '.' && it->path().extension() == key_suffix)
      return true;
  }
  return false;
}

void sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

} // namespace

key_ring_result load_signing_keys(const std::string& dir) {
  ensure_sodium();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return {nullptr,
            "key folder " + dir + " does not exist; add a key with `haven keygen " + dir + "`"};
  // Whoever can write the folder can add a key that signs (the kid that sorts
  // last): only its owner, this user or root, may (audit L7).
  struct stat dir_st {};
  if (::stat(dir.c_str(), &dir_st) != 0)
    return {nullptr, sys_error("cannot read key folder " + dir)};
  if ((dir_st.st_mode & 0022) != 0)
    return {nullptr, "key folder " + dir + " is writable by other users (chmod 700)"};
  if (dir_st.st_uid != ::geteuid() && dir_st.st_uid != 0)
    return {nullptr, "key folder " + dir + " belongs to another user (audit L7)"};
  std::vector<signing_key> keys;
  for (fs::directory_iterator it{dir, ec}, end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.front() == '.' || name.size() <= key_suffix.size() ||
        name.compare(name.size() - key_suffix.size(), key_suffix.size(), key_suffix) != 0)
      continue;
    std::string path = it->path().string();
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      return {nullptr, sys_error("cannot read key file " + path)};
    if (!S_ISREG(st.st_mode))
      continue;
    if ((st.st_mode & 0077) != 0)
      return {nullptr, "key file " + path + " is open to other users (chmod 600)"};
    if (st.st_uid != ::geteuid())
      return {nullptr, "key file " + path + " belongs to another user (audit L7)"};
    std::string kid = name.substr(0, name.size() - key_suffix.size());
    if (!valid_kid(kid))
      return {nullptr,
              "key file " + path + ": the name must be <kid>.key with kid in [A-Za-z0-9._-]{1,64}"};
    std::string text;
    bool read_ok = read_small_file(path, text);
    auto key = read_ok ? parse_key_file(kid, text) : std::nullopt;
    sodium_memzero(text.data(), text.size());
    if (!key)
      return {nullptr, "key file " + path +
                           " is not a base64 Ed25519 seed (32 bytes) or secret key (64 bytes)"};
    keys.push_back(std::move(*key));
  }
  if (ec)
    return {nullptr, "cannot list key folder " + dir + ": " + ec.message()};
  if (keys.empty())
    return {nullptr, "key folder " + dir +
                         " holds no signing key (*.key); add one with `haven keygen " + dir + "`"};
  return {std::make_shared<const signing_keys>(std::move(keys)), {}};
}

keygen_result generate_key(const std::string& dir) {
  ensure_sodium();
  keygen_result res;
  if (!ensure_dir(dir, res.error))
    return res;
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::string kid = new_kid();
    auto key = random_key(kid);
    std::string text = key_file_text(key);
    sodium_memzero(key.sk.data(), key.sk.size());
    int err = write_exclusive(dir, dir + "/" + kid + std::string{key_suffix}, text);
    if (err == EEXIST)
      continue; // the same second and the same 32 random bits: try another kid
    if (err != 0) {
      errno = err;
      res.error = sys_error("cannot write a key into " + dir);
      return res;
    }
    sync_dir(dir);
    res.kid = std::move(kid);
    return res;
  }
  res.error = "cannot pick an unused key id in " + dir;
  return res;
}

key_ring_result load_or_create_signing_keys(const std::string& dir, bool generate_if_empty) {
  auto res = load_signing_keys(dir);
  if (res.keys || !generate_if_empty)
    return res;
  // Generate only into a folder without keys; a broken key file stays an
  // error. Read again: a racing node may have just added its key.
  if (has_key_files(dir))
    return load_signing_keys(dir);
  std::string error;
  if (!ensure_dir(dir, error))
    return {nullptr, error};
  std::string lock_path = dir + "/.keygen.lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return {nullptr, sys_error("cannot open " + lock_path)};
  if (::flock(fd, LOCK_EX) != 0) {
    ::close(fd);
    return {nullptr, sys_error("cannot lock " + lock_path)};
  }
  // Under the lock: another node may have generated the key meanwhile.
  res = load_signing_keys(dir);
  if (!res.keys && !has_key_files(dir)) {
    auto gen = generate_key(dir);
    res = gen.error.empty() ? load_signing_keys(dir) : key_ring_result{nullptr, gen.error};
  }
  ::flock(fd, LOCK_UN);
  ::close(fd);
  return res;
}

} // namespace haven::auth
