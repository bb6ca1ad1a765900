// The composition root: reads the config, starts the parts in order
// (config -> stores -> domain -> edges), waits for SIGTERM, stops in reverse.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "actors/health/health_actor.hpp"
#include "config/loader.hpp"
#include "config/settings.hpp"
#include "io/http/edge.hpp"
#include "io/log/log.hpp"
#include "messages/type_ids.hpp"

namespace {

const char* usage = "usage: haven [serve | migrate | config check | keygen DIR | version]\n";

std::shared_ptr<const haven::config::settings> load_or_exit() {
  auto res = haven::config::load_settings_from_environ();
  if (!res.value) {
    std::fprintf(stderr, "haven: invalid configuration: %s\n", res.error.c_str());
    std::exit(2);
  }
  return std::make_shared<const haven::config::settings>(std::move(*res.value));
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
  haven::log::init(*cfg);
  auto signals = block_shutdown_signals();
  caf::actor_system_config sys_cfg;
  sys_cfg.load<caf::io::middleman>();
  sys_cfg.add_message_types<caf::id_block::haven>();
  if (cfg->workers > 0)
    sys_cfg.set("scheduler.max-threads", static_cast<size_t>(cfg->workers));
  int exit_code = 0;
  {
    caf::actor_system sys{sys_cfg};
    auto health = haven::health::spawn_health(sys, *cfg);
    haven::http::edge_options opts{cfg, {}, HAVEN_VERSION};
    auto edge = haven::http::spawn_edge(sys, std::move(opts));
    if (!edge) {
      haven::log::error("cannot listen", {{"addr", cfg->http_host + ":" + std::to_string(cfg->http_port)},
                                          {"reason", sys.render(edge.error())}});
      caf::anon_send_exit(health, caf::exit_reason::user_shutdown);
      haven::log::shutdown();
      return 1;
    }
    caf::anon_send(health, haven::subscribe_atom_v, caf::actor_cast<haven::health_listener>(edge->actor));
    caf::anon_send(edge->actor, haven::ready_atom_v, true);
    haven::log::info("listening", {{"host", cfg->http_host},
                                   {"port", std::to_string(edge->port), false},
                                   {"version", HAVEN_VERSION}});
    std::printf("haven %s listening on %s:%u\n", HAVEN_VERSION, cfg->http_host.c_str(), edge->port);
    std::fflush(stdout);
    int sig = 0;
    sigwait(&signals, &sig);
    haven::log::info("signal received, draining", {{"signal", strsignal(sig)}});
    {
      caf::scoped_actor self{sys};
      self->monitor(edge->actor);
      caf::anon_send(edge->actor, haven::drain_atom_v);
      self->receive([](const caf::down_msg&) {});
    }
    caf::anon_send_exit(health, caf::exit_reason::user_shutdown);
    haven::log::info("stopped");
  } // the actor system waits for every actor here
  haven::log::shutdown();
  return exit_code;
}

int config_check() {
  auto cfg = load_or_exit();
  std::fputs(haven::config::describe_effective(*cfg).c_str(), stdout);
  std::puts("configuration ok");
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "serve";
  if (cmd == "serve")
    return serve();
  if (cmd == "version" || cmd == "--version") {
    std::printf("haven %s\n", HAVEN_VERSION);
    return 0;
  }
  if (cmd == "config" && argc > 2 && std::strcmp(argv[2], "check") == 0)
    return config_check();
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    std::fputs(usage, stdout);
    return 0;
  }
  std::fputs(usage, stderr);
  return 2;
}
