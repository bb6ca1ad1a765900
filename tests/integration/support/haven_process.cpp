#include "tests/integration/support/haven_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/integration/support/http_client.hpp"
#include "tests/integration/support/stack.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace haven::test {

namespace {

using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return std::string{std::istreambuf_iterator<char>{in}, {}};
}

// The "status" member of a /health body (the edge writes compact JSON).
std::string health_status_of(const std::string& body) {
  static const std::regex status_re{R"re("status"\s*:\s*"([a-z]+)")re"};
  std::smatch m;
  // The first "status" in the body is the overall one (checks come after it).
  if (std::regex_search(body, m, status_re))
    return m[1].str();
  return {};
}

} // namespace

env_map node_env(const stack& s, const env_map& extra) {
  env_map env{
      {"HAVEN_PG_URL", s.pg_url()},
      {"HAVEN_REDIS_URL", s.redis_url()},
      {"HAVEN_NATS_URL", s.nats_url()},
      {"HAVEN_HTTP_ADDR", "127.0.0.1:0"},
      {"HAVEN_ENV", "dev"},
  };
  for (auto& [k, v] : extra)
    env[k] = v;
  return env;
}

haven_process::haven_process(const env_map& env, std::vector<std::string> args,
                             bool wait_for_listen) {
  char tmpl[] = "/tmp/haven-node-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr)
    throw std::runtime_error(std::string{"mkdtemp: "} + std::strerror(errno));
  dir_ = tmpl;

  // Everything the child needs is prepared before fork(): after it, only
  // async-signal-safe calls.
  const std::string binary = HAVEN_BINARY;
  const std::string out_path = dir_ + "/stdout";
  const std::string err_path = dir_ + "/stderr";
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "HAVEN_", 6) != 0) // the developer's own HAVEN_* must not leak in
      env_strings.emplace_back(*e);
  for (auto& [k, v] : env)
    env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  args.insert(args.begin(), binary);
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();

  pid_ = ::fork();
  if (pid_ < 0) {
    fs::remove_all(dir_);
    throw std::runtime_error(std::string{"fork: "} + std::strerror(errno));
  }
  if (pid_ == 0) {
    // Die with the test process (e.g. when ctest kills a hung test).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
      ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 ||
        ::dup2(err, 2) < 0 || ::chdir(dir_.c_str()) != 0)
      ::_exit(127);
    ::execve(binary.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  if (wait_for_listen && !wait_listening()) {
    std::string why = running()    ? std::string{"no listening line within 20 s"}
                      : exit_code_ ? "haven exited with code " + std::to_string(*exit_code_)
                                   : std::string{"haven is gone (waitpid failed)"};
    std::string err = stderr_text();
    std::string out = stdout_text();
    ::kill(pid_, SIGKILL);
    wait_exit(5s);
    fs::remove_all(dir_);
    throw std::runtime_error(why + "; stdout: [" + out + "] stderr: [" + err + "]");
  }
}

haven_process::~haven_process() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    wait_exit(10s);
  }
  std::error_code ec;
  if (std::getenv("HAVEN_TEST_KEEP_NODE_DIR") == nullptr)
    fs::remove_all(dir_, ec);
}

bool haven_process::wait_listening(std::chrono::milliseconds timeout) {
  static const std::regex line_re{R"(listening on (\S+):([0-9]+))"};
  const auto deadline = clock_type::now() + timeout;
  for (;;) {
    std::smatch m;
    auto out = stdout_text();
    if (std::regex_search(out, m, line_re)) {
      port_ = static_cast<uint16_t>(std::stoul(m[2].str()));
      return port_ != 0;
    }
    if (!running() || clock_type::now() >= deadline)
      return false;
    std::this_thread::sleep_for(20ms);
  }
}

// Asks `answered` (an HTTP exchange with the node) every 100 ms until it says
// yes, the node exits, or `timeout` passes. An exchange that throws is a node
// not answering (yet).
template <class Answered>
bool poll_node(haven_process& node, std::chrono::milliseconds timeout, Answered answered) {
  const auto deadline = clock_type::now() + timeout;
  do {
    try {
      if (answered())
        return true;
    } catch (const std::exception&) {
    }
    if (!node.running())
      return false;
    std::this_thread::sleep_for(100ms);
  } while (clock_type::now() < deadline);
  return false;
}

bool haven_process::wait_for_health(const std::string& status, std::chrono::milliseconds timeout,
                                    std::string* body, int* http_status) {
  return poll_node(*this, timeout, [&] {
    auto r = http_get(port_, "/health", {}, 2s);
    if (health_status_of(r.body) != status)
      return false;
    if (body != nullptr)
      *body = r.body;
    if (http_status != nullptr)
      *http_status = r.status;
    return true;
  });
}

bool haven_process::wait_until_healthy(std::chrono::milliseconds timeout) {
  int status = 0;
  return wait_for_health("healthy", timeout, nullptr, &status) && status == 200;
}

bool haven_process::wait_until_ready(std::chrono::milliseconds timeout) {
  return poll_node(*this, timeout, [&] { return http_get(port_, "/ready", {}, 2s).status == 200; });
}

void haven_process::send_signal(int sig) {
  if (pid_ > 0 && !exit_code_)
    ::kill(pid_, sig);
}

bool haven_process::running() {
  if (pid_ <= 0 || exit_code_)
    return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return r == 0;
}

std::optional<int> haven_process::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = clock_type::now() + timeout;
  while (running()) {
    if (clock_type::now() >= deadline)
      return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
  return exit_code_;
}

std::string haven_process::stdout_text() const {
  return read_file(dir_ + "/stdout");
}

std::string haven_process::stderr_text() const {
  return read_file(dir_ + "/stderr");
}

command_result run_haven(const std::vector<std::string>& args, const env_map& env,
                         std::chrono::milliseconds timeout) {
  haven_process p{env, args, false};
  command_result r;
  auto code = p.wait_exit(timeout);
  if (!code) {
    p.send_signal(SIGKILL);
    p.wait_exit(5s);
  }
  r.exit_code = code ? *code : -1;
  r.out = p.stdout_text();
  r.err = p.stderr_text();
  return r;
}

} // namespace haven::test
