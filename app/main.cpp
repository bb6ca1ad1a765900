// The composition root: reads the config, starts the parts in order
// (config -> stores -> domain -> edges), waits for SIGTERM, stops in reverse.
#include <csignal>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <sched.h>
#include <string>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "actors/auth/key_dir.hpp"
#include "actors/sessions/data_key.hpp"
#include "actors/sessions/reencrypt.hpp"
#include "app/node.hpp"
#include "app/sessions_wiring.hpp"
#include "base/log/log.hpp"
#include "config/loader.hpp"
#include "config/log_options.hpp"
#include "config/settings.hpp"
#include "persistence/pg/migrations.hpp"

namespace {

const char* usage =
    "usage: haven [serve | migrate | config check | keygen DIR | reencrypt | version]\n";

std::shared_ptr<const haven::config::settings> load_or_exit() {
  auto res = haven::config::load_settings_from_environ();
  if (!res.value) {
    std::fprintf(stderr, "haven: invalid configuration: %s\n", res.error.c_str());
    std::exit(2);
  }
  return std::make_shared<const haven::config::settings>(std::move(*res.value));
}

// HAVEN_WORKERS, or by default one scheduler thread per CPU this process may
// run on (its affinity mask: a container's cpuset or taskset), less the one
// the HTTP edge's I/O thread keeps busy, at least one. CAF's own default,
// max(cores, 4), put four threads on one pinned core: the node answered
// /health 0.57x nginx at the defaults against 1.16x with one
// (docs/benchmarks.md).
size_t scheduler_threads(const haven::config::settings& cfg) {
  if (cfg.workers > 0)
    return cfg.workers;
  cpu_set_t set;
  CPU_ZERO(&set);
  size_t cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
  return cpus > 1 ? cpus - 1 : 1;
}

// Blocks SIGTERM and SIGINT in every thread (CAF's threads inherit the mask),
// so that only sigwait() in main sees them.
sigset_t block_shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return set;
}

int serve() {
  auto cfg = load_or_exit();
  haven::log::init(haven::config::log_options(*cfg));
  auto signals = block_shutdown_signals();
  caf::actor_system_config sys_cfg;
  sys_cfg.load<caf::io::middleman>();
  haven::app::register_message_types(sys_cfg);
  sys_cfg.set("scheduler.max-threads", scheduler_threads(*cfg));
  // An idle worker sleeps on its condition variable after a short spin instead
  // of polling every 50 us for 25 ms: with timers firing every few ms that
  // polling never stopped and took ~8 % of the I/O thread's core
  // (docs/benchmarks.md, /health 140k -> 162k req/s).
  sys_cfg.set("work-stealing.moderate-poll-attempts", size_t{0});
  {
    caf::actor_system sys{sys_cfg};
    auto node = haven::app::start_node(sys, cfg);
    if (!node) {
      haven::log::error("cannot start",
                        {{"addr", cfg->http_host + ":" + std::to_string(cfg->http_port)},
                         {"reason", sys.render(node.error())}});
      haven::log::shutdown();
      return 1;
    }
    haven::log::info("listening", {{"host", cfg->http_host},
                                   {"port", std::to_string(node->port), false},
                                   {"version", HAVEN_VERSION}});
    std::printf("haven %s listening on %s:%u\n", HAVEN_VERSION, cfg->http_host.c_str(), node->port);
    std::fflush(stdout);
    int sig = 0;
    sigwait(&signals, &sig);
    haven::log::info("signal received, draining", {{"signal", strsignal(sig)}});
    haven::app::stop_node(sys, *node);
    haven::log::info("stopped");
  } // the actor system waits for every actor here
  haven::log::shutdown();
  return 0;
}

int migrate() {
  auto cfg = load_or_exit();
  haven::log::init(haven::config::log_options(*cfg));
  auto applied = haven::apply_migrations(cfg->pg_url, std::chrono::seconds(30));
  if (!applied) {
    std::fprintf(stderr, "haven: migrations failed: %s\n", caf::to_string(applied.error()).c_str());
    haven::log::shutdown();
    return 1;
  }
  std::printf("migrations applied: %d\n", *applied);
  haven::log::shutdown();
  return 0;
}

// `haven keygen DIR`: adds one Ed25519 signing key; prints its kid only.
int keygen(const char* dir) {
  auto res = haven::auth::generate_key(dir);
  if (res.kid.empty()) {
    std::fprintf(stderr, "haven: keygen failed: %s\n", res.error.c_str());
    return 1;
  }
  std::printf("generated key %s in %s\n", res.kid.c_str(), dir);
  return 0;
}

// `haven reencrypt`: every conversation message not sealed under HAVEN_DATA_KEY
// is opened with HAVEN_DATA_KEYS_OLD and sealed again under it
// (docs/conversations.md "Key rotation"). Exit 1 when rows stay unopenable.
int reencrypt() {
  auto cfg = load_or_exit();
  haven::log::init(haven::config::log_options(*cfg));
  auto key = haven::app::current_data_key(*cfg);
  std::string error = key.error;
  std::shared_ptr<const haven::sessions::key_ring> ring;
  if (error.empty())
    ring = haven::sessions::key_ring::from_base64(key.current_base64, cfg->data_keys_old, &error);
  if (!ring) {
    std::fprintf(stderr, "haven: reencrypt: %s\n", error.c_str());
    haven::log::shutdown();
    return 2;
  }
  auto rep = haven::sessions::reencrypt_all(cfg->pg_url, *ring);
  std::printf("reencrypted %llu messages under key %s; %llu could not be opened\n",
              static_cast<unsigned long long>(rep.rewritten), ring->current_id().c_str(),
              static_cast<unsigned long long>(rep.unopenable));
  haven::log::shutdown();
  if (!rep.error.empty()) {
    std::fprintf(stderr, "haven: reencrypt: %s\n", rep.error.c_str());
    return 1;
  }
  return rep.unopenable == 0 ? 0 : 1;
}

int config_check() {
  auto cfg = load_or_exit();
  std::fputs(haven::config::describe_effective(*cfg).c_str(), stdout);
  std::puts("configuration ok");
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  // No core dumps: they would hold signing keys, the data key and message
  // text (audit L7).
  struct rlimit no_core {
    0, 0
  };
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::prctl(PR_SET_DUMPABLE, 0);
  std::string cmd = argc > 1 ? argv[1] : "serve";
  if (cmd == "serve")
    return serve();
  if (cmd == "migrate")
    return migrate();
  if (cmd == "version" || cmd == "--version") {
    std::printf("haven %s\n", HAVEN_VERSION);
    return 0;
  }
  if (cmd == "reencrypt")
    return reencrypt();
  if (cmd == "keygen" && argc == 3)
    return keygen(argv[2]);
  if (cmd == "config" && argc > 2 && std::strcmp(argv[2], "check") == 0)
    return config_check();
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    std::fputs(usage, stdout);
    return 0;
  }
  std::fputs(usage, stderr);
  return 2;
}
