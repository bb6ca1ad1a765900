#include "app/sessions_wiring.hpp"

#include <algorithm>
#include <thread>

#include <caf/all.hpp>

#include "actors/sessions/data_key.hpp"
#include "actors/sessions/data_key_file.hpp"
#include "actors/sessions/fallback.hpp"
#include "actors/sessions/registry.hpp"
#include "actors/sessions/routes/conversation_routes.hpp"
#include "actors/sessions/session_deps.hpp"
#include "actors/sessions/sessions_metrics.hpp"
#include "base/log/log.hpp"
#include "io/llm/chat_client.hpp"
#include "messages/errors.hpp"

namespace haven::app {

namespace {

// The OpenAI-compatible client (io/llm) in the responder's slot.
class llm_provider final : public sessions::provider {
 public:
  explicit llm_provider(llm::client_options opts)
      : timeout_(opts.timeout), client_(std::move(opts)) {}

  void complete(std::vector<sessions::provider_message> messages,
                std::function<void(sessions::provider_answer)> done) override {
    std::vector<llm::chat_message> msgs;
    msgs.reserve(messages.size());
    for (auto& m : messages)
      msgs.push_back({std::move(m.role), std::move(m.content)});
    client_.complete(std::move(msgs), [done = std::move(done)](llm::completion c) {
      done({c.ok, std::move(c.text), std::move(c.error)});
    });
  }

  std::chrono::milliseconds timeout() const override { return timeout_; }

 private:
  std::chrono::milliseconds timeout_;
  llm::chat_client client_;
};

} // namespace

key_ring_source current_data_key(const config::settings& cfg) {
  if (!cfg.data_key.empty())
    return {cfg.data_key, {}};
  if (cfg.env == config::environment::prod) // the loader refuses this already
    return {{}, "HAVEN_DATA_KEY is required in prod"};
  auto dev = sessions::load_or_create_dev_data_key(cfg.jwt_key_dir);
  if (dev.key_base64.empty())
    return {{}, "dev data key: " + dev.error};
  return {std::move(dev.key_base64), {}};
}

caf::expected<sessions_parts> start_sessions(caf::actor_system& sys,
                                             std::shared_ptr<const config::settings> cfg,
                                             pg_pool_actor pg, std::vector<crisis_actor> crisis,
                                             std::vector<moderation_actor> moderation,
                                             std::shared_ptr<auth::auth_gate> gate) {
  if (crisis.empty() || moderation.empty())
    return make_error(errc::internal, "conversations need the safety family's actors");
  auto dir = sessions::find_data_dir(cfg->sessions_data_dir);
  auto loaded = sessions::load_fallback(dir);
  if (!loaded.templates)
    return make_error(errc::internal, "sessions data (" + dir + "): " + loaded.error);
  auto key = current_data_key(*cfg);
  if (key.current_base64.empty())
    return make_error(errc::internal, key.error);
  std::string key_error;
  auto keys = sessions::key_ring::from_base64(key.current_base64, cfg->data_keys_old, &key_error);
  if (!keys)
    return make_error(errc::internal, key_error);

  sessions_parts p;
  p.metrics = std::make_shared<sessions::sessions_metrics>();
  if (!cfg->llm_url.empty()) {
    llm::client_options o;
    o.url = cfg->llm_url;
    o.model = cfg->llm_model;
    o.api_key = cfg->llm_api_key;
    o.timeout = std::chrono::milliseconds(cfg->llm_timeout_ms);
    o.max_concurrency = cfg->llm_max_concurrency;
    p.llm = std::make_shared<llm_provider>(std::move(o));
  }
  auto d = std::make_shared<sessions::session_deps>();
  d->cfg = cfg;
  d->pg = std::move(pg);
  d->crisis = std::move(crisis);
  d->moderation = std::move(moderation);
  d->templates = loaded.templates;
  d->keys = keys;
  // Not owned by the actors: the last owner of the client joins its thread,
  // which must never be the client's own (a callback dropping the last
  // session handle). The node owns it and drops it after the edge drained.
  d->llm = p.llm ? std::shared_ptr<sessions::provider>(p.llm.get(), [](sessions::provider*) {})
                 : nullptr;
  d->metrics = p.metrics;
  d->idle = std::chrono::seconds(cfg->session_idle_s);
  // A few shards keep one busy registry from serializing every session of
  // the node; the map work per request is a hash lookup (~100 ns).
  auto n = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  d->max_active_per_shard = 1'000'000 / n;
  std::shared_ptr<const sessions::session_deps> shared = d;
  for (size_t i = 0; i < n; ++i)
    p.shards.push_back(sessions::spawn_registry(sys, shared));
  sessions::conversation_route_deps rd;
  rd.gate = std::move(gate);
  rd.shards = p.shards;
  rd.provider_timeout =
      p.llm ? std::chrono::milliseconds(cfg->llm_timeout_ms) : std::chrono::milliseconds(0);
  p.routes = sessions::conversation_routes(rd);
  log::info("conversations ready", {{"templates_dir", dir},
                                    {"templates", std::to_string(loaded.templates->size()), false},
                                    {"data_keys", std::to_string(keys->size()), false},
                                    {"data_key_id", keys->current_id()},
                                    {"provider", p.llm ? "configured" : "none"}});
  return p;
}

void add_sessions_metrics(const sessions_parts& parts, http::edge_options& opts) {
  if (auto m = parts.metrics)
    http::add_metrics(opts, [m](std::string& out) { m->render(out); });
}

void stop_sessions(sessions_parts& parts) {
  for (auto& a : parts.shards)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  parts.shards.clear();
  parts.llm.reset();
}

} // namespace haven::app
