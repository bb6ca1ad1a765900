#include "tests/integration/support/stack.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace haven::test {

namespace {

// kill(SIGSTOP) returns before every thread of the target has stopped; a
// frozen server must not answer one last request, so wait for state 'T'.
void wait_until_stopped(int pid) {
  namespace fs = std::filesystem;
  for (int i = 0; i < 200; ++i) {
    bool all_stopped = true;
    std::error_code ec;
    for (auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
      std::ifstream in(task.path() / "stat");
      std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      auto close = stat.rfind(')');
      if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'T' &&
          stat[close + 2] != 't')
        all_stopped = false;
    }
    if (ec || all_stopped)
      return;
    ::usleep(5000);
  }
}

// A socket bound to 127.0.0.1:port (0 = any free one), or throws.
int bound_socket(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw std::runtime_error(std::string{"socket: "} + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error(std::string{"bind: "} + std::strerror(errno));
  }
  return fd;
}

uint16_t local_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

// Socket inodes listening on `port` (any address), from /proc/net/tcp{,6}.
std::set<std::string> listening_inodes(uint16_t port) {
  std::set<std::string> inodes;
  for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in{file};
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
      std::istringstream f{line};
      std::string sl, local, remote, state, skip, inode;
      f >> sl >> local >> remote >> state;
      for (int i = 0; i < 5; ++i)
        f >> skip; // tx:rx queue, tr:when, retrnsmt, uid, timeout
      f >> inode;
      auto colon = local.rfind(':');
      if (state == "0A" && colon != std::string::npos &&
          std::stoul(local.substr(colon + 1), nullptr, 16) == port)
        inodes.insert(inode);
    }
  }
  return inodes;
}

std::vector<int> all_pids() {
  std::vector<int> pids;
  for (const auto& e : fs::directory_iterator{"/proc"}) {
    const auto name = e.path().filename().string();
    if (std::all_of(name.begin(), name.end(), ::isdigit))
      pids.push_back(std::stoi(name));
  }
  return pids;
}

int parent_of(int pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/stat"};
  std::string stat{std::istreambuf_iterator<char>{in}, {}};
  auto paren = stat.rfind(')'); // the command name may contain spaces
  if (paren == std::string::npos)
    return -1;
  std::istringstream f{stat.substr(paren + 1)};
  std::string state;
  int ppid = -1;
  f >> state >> ppid;
  return ppid;
}

// The processes listening on `port` plus all their descendants.
std::vector<int> server_processes(uint16_t port) {
  const auto inodes = listening_inodes(port);
  std::vector<int> result;
  std::error_code ec;
  for (int pid : all_pids()) {
    for (const auto& fd : fs::directory_iterator{"/proc/" + std::to_string(pid) + "/fd", ec}) {
      auto target = fs::read_symlink(fd.path(), ec).string();
      if (target.rfind("socket:[", 0) == 0 &&
          inodes.count(target.substr(8, target.size() - 9)) > 0) {
        result.push_back(pid);
        break;
      }
    }
  }
  for (std::size_t i = 0; i < result.size(); ++i) // breadth-first over children
    for (int pid : all_pids())
      if (parent_of(pid) == result[i] &&
          std::find(result.begin(), result.end(), pid) == result.end())
        result.push_back(pid);
  return result;
}

} // namespace

std::vector<uint16_t> free_ports(int n) {
  std::vector<int> fds;
  std::vector<uint16_t> ports;
  for (int i = 0; i < n; ++i) { // all held at once, so the ports are distinct
    fds.push_back(bound_socket(0));
    ports.push_back(local_port(fds.back()));
  }
  for (int fd : fds)
    ::close(fd);
  return ports;
}

stack::stack() {
  const auto ports = free_ports(3);
  pg_port_ = ports[0];
  redis_port_ = ports[1];
  nats_port_ = ports[2];
  char tmpl[] = "/tmp/haven-stack-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr)
    throw std::runtime_error(std::string{"mkdtemp: "} + std::strerror(errno));
  dir_ = tmpl;
  // PostgreSQL runs as an unprivileged user and must reach its folder in here.
  ::chmod(dir_.c_str(), 0755);
  try {
    up_ = true; // so that down() cleans up a half-started stack
    run("up");
  } catch (...) {
    try {
      up_ = false;
      run("destroy");
    } catch (...) {
    }
    fs::remove_all(dir_);
    throw;
  }
}

stack::~stack() {
  for (auto& [service, pids] : frozen_)
    for (int pid : pids)
      ::kill(pid, SIGCONT);
  try {
    up_ = false;
    run("destroy"); // also PostgreSQL's files when they had to live outside dir_
  } catch (...) {
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void stack::run(const std::string& args) {
  const std::string script = std::string{HAVEN_SOURCE_DIR} + "/scripts/dev";
  if (::access(script.c_str(), X_OK) != 0)
    throw std::runtime_error(script + " is missing or not executable");
  // `timeout` so that a wedged script fails the test instead of hanging it.
  const std::string cmd = "timeout 120 env HAVEN_STACK_DIR='" + dir_ +
                          "' HAVEN_PG_PORT=" + std::to_string(pg_port_) +
                          " HAVEN_REDIS_PORT=" + std::to_string(redis_port_) +
                          " HAVEN_NATS_PORT=" + std::to_string(nats_port_) + " '" + script + "' " +
                          args + " >/dev/null"; // `up` prints export lines; progress goes to stderr
  int status = std::system(cmd.c_str());
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("scripts/dev " + args + " failed (status " + std::to_string(status) +
                             ")");
}

void stack::stop(const std::string& service) {
  run("stop " + service);
  stopped_.push_back(service);
}

void stack::start(const std::string& service) {
  run("start " + service);
  stopped_.erase(std::remove(stopped_.begin(), stopped_.end(), service), stopped_.end());
}

void stack::down() {
  if (up_) {
    up_ = false;
    run("down");
  }
}

uint16_t stack::port_of(const std::string& service) const {
  if (service == "postgres")
    return pg_port_;
  if (service == "redis")
    return redis_port_;
  if (service == "nats")
    return nats_port_;
  throw std::invalid_argument("unknown service " + service);
}

void stack::freeze(const std::string& service) {
  auto pids = server_processes(port_of(service));
  if (pids.empty())
    throw std::runtime_error("no process listens on the " + service + " port");
  for (int pid : pids)
    ::kill(pid, SIGSTOP);
  for (int pid : pids)
    wait_until_stopped(pid);
  auto& frozen = frozen_[service];
  frozen.insert(frozen.end(), pids.begin(), pids.end());
}

void stack::thaw(const std::string& service) {
  for (int pid : frozen_[service])
    ::kill(pid, SIGCONT);
  frozen_.erase(service);
}

void stack::restore() {
  while (!frozen_.empty())
    thaw(frozen_.begin()->first);
  while (!stopped_.empty())
    start(stopped_.front());
}

std::string stack::pg_url() const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(pg_port_) + "/haven";
}

std::string stack::redis_url() const {
  return "redis://127.0.0.1:" + std::to_string(redis_port_) + "/0";
}

std::string stack::nats_url() const {
  return "nats://127.0.0.1:" + std::to_string(nats_port_);
}

black_hole::black_hole() {
  fd_ = bound_socket(0);
  port_ = local_port(fd_);
  // Never accept(): the backlog completes handshakes and nobody ever answers.
  if (::listen(fd_, 16) != 0) {
    ::close(fd_);
    throw std::runtime_error(std::string{"listen: "} + std::strerror(errno));
  }
}

black_hole::~black_hole() {
  ::close(fd_);
}

} // namespace haven::test
